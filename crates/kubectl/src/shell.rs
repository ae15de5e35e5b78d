//! The bits of a shell that tutorials lean on, around kubectl: variables
//! (`export POD_NAME=...`, `$POD_NAME`, `${POD_NAME}`), command substitution
//! (`$(kubectl get ...)`), `echo`, lists (`a; b`, `a && b`, `a || b`), `for` loops over
//! words, `{1..3}` and `$(seq 3)`, and `sleep`/`settle`, which move the virtual clock.
//! Expansion happens outside single quotes, as in sh. `while`/`until` loops are refused
//! with a message: tutorials use them to run forever.

use crate::{Env, Output};
use kubeplay_sim::World;
use std::collections::BTreeMap;

/// Shell variables for one terminal or script.
#[derive(Clone, Debug, Default)]
pub struct Shell {
    pub vars: BTreeMap<String, String>,
    /// Files written on the learner's machine by `> FILE` (e.g. `kubectl get deploy web -o
    /// yaml > web.yaml`), readable by `-f FILE` and `cat FILE`.
    pub files: BTreeMap<String, String>,
    /// Files of the lesson or script that `rm` removed (they live below the learner's own).
    pub removed: std::collections::BTreeSet<String>,
    /// An interactive shell in a container (`kubectl exec -it POD -- sh`) that the next
    /// lines go to, until `exit`.
    pub session: Option<crate::session::Session>,
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// The most events one `sleep` or `settle` runs before it reports that the bound was hit.
pub const SETTLE_BOUND: u64 = 1_000_000;

/// How a command in a list is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Join {
    Seq,
    And,
    Or,
}

/// Splits a line into commands at `;`, `&&`, `||` and newlines outside quotes and `$(...)`.
pub(crate) fn split_list(line: &str) -> Vec<(Join, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let (mut join, mut cur) = (Join::Seq, String::new());
    let (mut single, mut double, mut depth) = (false, false, 0u32);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let top = !single && !double && depth == 0;
        let sep = match c {
            ';' | '\n' if top => Some((Join::Seq, 1)),
            '&' if top && next == Some('&') => Some((Join::And, 2)),
            // `CMD &`: the command runs in the background (kubeplay runs it now); what
            // follows is the next command. `2>&1` and `&>` are redirects, not this.
            '&' if top && next != Some('>') && !(i > 0 && matches!(chars[i - 1], '>' | '&')) => {
                cur.truncate(cur.trim_end().len());
                cur.push_str(" &");
                Some((Join::Seq, 1))
            }
            '|' if top && next == Some('|') => Some((Join::Or, 2)),
            _ => None,
        };
        if let Some((j, width)) = sep {
            out.push((join, std::mem::take(&mut cur)));
            join = j;
            i += width;
            continue;
        }
        match c {
            '\\' if !single => {
                cur.push(c);
                cur.extend(next);
                i += 2;
                continue;
            }
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '(' if !single && i > 0 && chars[i - 1] == '$' => depth += 1,
            ')' if !single && depth > 0 => depth -= 1,
            _ => {}
        }
        cur.push(c);
        i += 1;
    }
    out.push((join, cur));
    out.into_iter().map(|(j, s)| (j, s.trim().to_string())).filter(|(_, s)| !s.is_empty()).collect()
}

/// Splits `text` at its first `>` or `>>` outside quotes: the command, and the redirect's
/// target with whether it appends.
pub(crate) fn split_redirect(text: &str) -> (String, Option<(String, bool)>) {
    let (mut single, mut double) = (false, false);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            // `2>&1` is not a redirect to a file.
            '>' if !(single || double || i > 0 && chars[i - 1] == '2' && chars.get(i + 1) == Some(&'&')) => {
                let append = chars.get(i + 1) == Some(&'>');
                let target: String = chars[i + if append { 2 } else { 1 }..].iter().collect();
                let target = kubeplay_sim::images::unquote(target.trim());
                return (chars[..i].iter().collect::<String>().trim().to_string(), Some((target, append)));
            }
            _ => {}
        }
    }
    (text.trim().to_string(), None)
}

/// One command of a multi-line script: the command line, and the text its heredoc gives
/// it as standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptLine {
    pub command: String,
    pub stdin: Option<String>,
}

/// Splits a script (a file for `kubeplay script`, or lines pasted into the page's terminal)
/// into commands, skipping blank lines and `#` comments. A heredoc (`cmd <<EOF`,
/// `cmd <<'EOF'`, `cat <<EOF | kubectl apply -f -`) takes the lines up to its marker as the
/// command's standard input. As in sh, one command may span lines: a line ending in `\`
/// goes on on the next, so does one ending in `|`, `&&` or `||`, one inside an open quote,
/// and a `for`/`while` loop up to its `done`.
pub fn script_lines(text: &str) -> Vec<ScriptLine> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // The command being gathered, and how its next line joins it.
    let mut cur: Option<(String, Option<String>)> = None;
    let mut depth = 0i32;
    let mut glue = " ";
    while i < lines.len() {
        let raw = lines[i];
        i += 1;
        let line = if cur.as_ref().is_some_and(|(c, _)| open_quote(c).is_some()) { raw } else { raw.trim() };
        if cur.is_none() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        if cur.is_some() && line.trim().is_empty() && depth > 0 {
            continue;
        }
        let (mut command, mut stdin) = match cur.take() {
            Some((c, s)) => (format!("{c}{glue}{line}"), s),
            None => (line.to_string(), None),
        };
        // A heredoc on this line: its body is the lines up to the marker.
        if open_quote(&command).is_none() {
            if let Some(pos) = heredoc_at(&command) {
                // The marker is one word; what follows it stays part of the command.
                let after = command[pos + 2..].trim_start().to_string();
                let (marker_word, tail) = after.split_once(char::is_whitespace).unwrap_or((&after, ""));
                let marker = marker_word.trim_start_matches('-').trim_matches(|c| c == '\'' || c == '"').to_string();
                let quoted = marker_word.contains(['\'', '"']);
                let mut body = String::new();
                while i < lines.len() && lines[i].trim() != marker {
                    body.push_str(lines[i]);
                    body.push('\n');
                    i += 1;
                }
                i += 1;
                // An unquoted heredoc takes bash's backslash escapes (`\$` is a dollar sign).
                // Its `$VAR` and `$(...)` are left as written: a simplification.
                if !quoted {
                    body = body.replace("\\$", "$").replace("\\`", "`").replace("\\\\", "\\");
                }
                command = format!("{} {}", command[..pos].trim(), tail.trim()).trim().to_string();
                stdin = Some(body);
            }
        }
        // Does the command go on on the next line?
        if open_quote(&command).is_some() {
            cur = Some((command, stdin));
            glue = "\n";
            continue;
        }
        depth += loop_delta(line);
        if let Some(stripped) = command.strip_suffix('\\') {
            cur = Some((stripped.trim_end().to_string(), stdin));
            glue = " ";
            continue;
        }
        let trimmed = command.trim_end();
        if trimmed.ends_with("&&") || trimmed.ends_with("||") || (trimmed.ends_with('|') && !trimmed.ends_with("||")) {
            cur = Some((trimmed.to_string(), stdin));
            glue = " ";
            continue;
        }
        if depth > 0 {
            // Inside a loop the lines are the list's commands.
            let ends_with_keyword = ["do", "then", "else"].iter().any(|k| trimmed == *k || trimmed.ends_with(&format!(" {k}")))
                || trimmed.ends_with(';');
            glue = if ends_with_keyword { " " } else { "; " };
            cur = Some((trimmed.to_string(), stdin));
            continue;
        }
        depth = 0;
        out.push(ScriptLine { command: command.trim().to_string(), stdin });
    }
    if let Some((command, stdin)) = cur {
        out.push(ScriptLine { command: command.trim().to_string(), stdin });
    }
    out
}

/// The quote left open at the end of `s` (`'` or `"`), if any, by sh's rules.
fn open_quote(s: &str) -> Option<char> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in s.chars() {
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                }
            }
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '\'' || c == '"' {
                    quote = Some(c);
                }
            }
        }
    }
    quote
}

/// Where a heredoc's `<<` starts in a command (not inside quotes, not `<<<`).
fn heredoc_at(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    (0..bytes.len().saturating_sub(1)).find(|&k| {
        bytes[k] == b'<'
            && bytes[k + 1] == b'<'
            && bytes.get(k + 2) != Some(&b'<')
            && (k == 0 || bytes[k - 1] != b'<')
            && open_quote(&s[..k]).is_none()
    })
}

/// How a line changes the depth of open `for`/`while`/`until` loops: +1 for each opened,
/// -1 for each `done`, judged by the first and last words of its `;`-separated parts.
fn loop_delta(line: &str) -> i32 {
    // Quoted text (a container's `sh -c '...'` script) is one word to this shell.
    let mut quote: Option<char> = None;
    let bare: String = line
        .chars()
        .map(|c| match quote {
            Some(q) if c == q => {
                quote = None;
                '_'
            }
            Some(_) => '_',
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                '_'
            }
            None => c,
        })
        .collect();
    let mut delta = 0;
    for part in bare.split(';') {
        let words: Vec<&str> = part.split_whitespace().collect();
        let first = words.iter().position(|w| !matches!(*w, "do" | "then" | "else")).map(|k| words[k]);
        if matches!(first, Some("for" | "while" | "until")) {
            delta += 1;
        }
        if words.first() == Some(&"done") || (words.len() > 1 && words.last() == Some(&"done")) {
            delta -= 1;
        }
    }
    delta
}

/// The learner's own files, layered over the lesson's or script's: what `> FILE` wrote
/// wins, as on a laptop.
struct Layered<'a> {
    own: &'a BTreeMap<String, String>,
    removed: &'a std::collections::BTreeSet<String>,
    inner: &'a dyn crate::Files,
}

impl crate::Files for Layered<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = path.trim_start_matches("./");
        match self.own.get(p) {
            Some(t) => Ok(t.clone()),
            None if self.removed.contains(p) => crate::Files::read(&crate::NoFiles, path),
            None => self.inner.read(path),
        }
    }
    fn list(&self, dir: &str) -> Option<Vec<String>> {
        let prefix = format!("{}/", dir.trim_start_matches("./").trim_end_matches('/'));
        let mut names: Vec<String> = self
            .own
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
            .collect();
        let inner: Option<Vec<String>> = self
            .inner
            .list(dir)
            .map(|v| v.into_iter().filter(|n| !self.removed.contains(&format!("{prefix}{n}"))).collect::<Vec<_>>())
            .filter(|v| !v.is_empty());
        if names.is_empty() && inner.is_none() {
            return None;
        }
        names.extend(inner.into_iter().flatten());
        names.sort();
        names.dedup();
        Some(names)
    }
}

/// Every file under `dir`, with its path.
fn collect_files(files: &dyn crate::Files, dir: &str, out: &mut Vec<String>) {
    for name in files.list(dir).unwrap_or_default() {
        let path = format!("{dir}/{name}");
        if files.list(&path).is_some() {
            collect_files(files, &path, out);
        } else {
            out.push(path);
        }
    }
}

/// The first word of a command.
fn head(cmd: &str) -> &str {
    cmd.split_whitespace().next().unwrap_or("")
}

/// `{1..3}` / `{a,b}` in one word, as bash expands it.
fn brace_expand(word: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (word.find('{'), word.find('}')) else { return vec![word.to_string()] };
    if close < open {
        return vec![word.to_string()];
    }
    let (pre, inner, post) = (&word[..open], &word[open + 1..close], &word[close + 1..]);
    let items: Vec<String> = if let Some((a, b)) = inner.split_once("..") {
        match (a.parse::<i64>(), b.parse::<i64>()) {
            (Ok(a), Ok(b)) if (a - b).abs() <= 10_000 => {
                if a <= b {
                    (a..=b).map(|n| n.to_string()).collect()
                } else {
                    (b..=a).rev().map(|n| n.to_string()).collect()
                }
            }
            _ => return vec![word.to_string()],
        }
    } else if inner.contains(',') {
        inner.split(',').map(str::to_string).collect()
    } else {
        return vec![word.to_string()];
    };
    items.iter().flat_map(|i| brace_expand(&format!("{pre}{i}{post}"))).collect()
}

/// Appends a command's output to a list's, keeping what a terminal would show in order.
fn append(out: &mut Output, sub: Output) {
    let target = if out.stdout.is_empty() && out.stderr.is_empty() {
        &mut out.warnings
    } else if out.stderr.is_empty() {
        &mut out.stdout
    } else {
        &mut out.stderr
    };
    target.push_str(&sub.warnings);
    if out.stderr.is_empty() {
        out.stdout.push_str(&sub.stdout);
    } else {
        out.stderr.push_str(&sub.stdout);
    }
    out.stderr.push_str(&sub.stderr);
    out.diagnostics.extend(sub.diagnostics);
    out.hits.extend(sub.hits);
    out.notes.extend(sub.notes);
    out.exit_code = sub.exit_code;
    // `kubectl exec -it POD -- sh; ...`: the session opens (the rest of the list runs now,
    // not after the shell ends, as it would on a real terminal).
    if sub.session.is_some() {
        out.session = sub.session;
    }
}

impl Shell {
    /// `rm [-f] [-r] PATH...`: removes the learner's files (and with `-r` a directory's),
    /// with GNU rm's messages.
    fn rm(&mut self, words: &[&str], env: &Env<'_>) -> Output {
        // Options end at `--`; single-dash words are letter clusters (`-rf`).
        let end = words.iter().position(|w| *w == "--").unwrap_or(words.len());
        let (opts, after) = (&words[..end], words.get(end + 1..).unwrap_or(&[]));
        let is_opt = |w: &&str| w.starts_with('-') && w.len() > 1;
        let letters: String =
            opts.iter().filter(|w| is_opt(w) && !w.starts_with("--")).map(|w| w.trim_start_matches('-')).collect();
        let force = letters.contains('f') || opts.contains(&"--force");
        let recursive = letters.contains(['r', 'R']) || opts.contains(&"--recursive");
        let mut out = Output::default();
        let targets: Vec<&str> = opts.iter().filter(|w| !is_opt(w)).chain(after.iter()).copied().collect();
        if targets.is_empty() && !force {
            return Output {
                stderr: "rm: missing operand\nTry 'rm --help' for more information.\n".into(),
                exit_code: 1,
                ..Output::default()
            };
        }
        for t in targets {
            let layered = Layered { own: &self.files, removed: &self.removed, inner: env.files };
            let path = t.trim_start_matches("./").trim_end_matches('/').to_string();
            let listed = crate::Files::list(&layered, &path);
            let is_file = crate::Files::read(&layered, &path).is_ok();
            let gone: Vec<String> = match (listed, is_file) {
                (Some(_), _) if !recursive => {
                    out.stderr.push_str(&format!("rm: cannot remove '{t}': Is a directory\n"));
                    out.exit_code = 1;
                    continue;
                }
                (Some(_), _) => {
                    let mut all = Vec::new();
                    collect_files(&layered, &path, &mut all);
                    all
                }
                (None, true) => vec![path],
                (None, false) => {
                    if !force {
                        out.stderr.push_str(&format!("rm: cannot remove '{t}': No such file or directory\n"));
                        out.exit_code = 1;
                    }
                    continue;
                }
            };
            for f in gone {
                self.files.remove(&f);
                self.removed.insert(f);
            }
        }
        out
    }

    /// Runs one line: a list of commands, each an assignment (`[export] NAME=VALUE`), a
    /// `for` loop, `sleep`/`settle`, or a command expanded and run through `crate::run`.
    pub fn run(&mut self, world: &mut World, line: &str, env: &Env<'_>) -> Output {
        // kubeplay's own `settle` still runs the cluster, and a plain `sleep N` lets the
        // cluster's clock run as a real one would while the shell sleeps; every other line
        // is the shell's.
        let words: Vec<&str> = line.split_whitespace().collect();
        let clock = matches!(words.as_slice(), ["settle"] | ["sleep", _]);
        if let Some(mut s) = self.session.take_if(|_| !clock) {
            let (out, ended) = crate::net::session_line(world, &mut s, line, env.stdin);
            if !ended {
                self.session = Some(s);
            }
            self.vars.insert("?".into(), out.exit_code.to_string());
            return out;
        }
        let list = split_list(line);
        let mut out = if list.len() <= 1 && !matches!(head(line), "for" | "while" | "until" | "sleep" | "settle") {
            self.run_simple(world, line, env)
        } else {
            let mut out = Output::default();
            self.run_list(world, &list, env, &mut out);
            out
        };
        self.vars.insert("?".into(), out.exit_code.to_string());
        if let Some(s) = out.session.take() {
            self.session = Some(*s);
        } else if let Some(mut s) = self.session.take() {
            // A `sleep` or `settle` during a session: the shell's `$?` is the sleep's, and
            // the container may have stopped meanwhile, ending the session.
            s.status = out.exit_code;
            match crate::net::session_gone(world, &s) {
                Some(end) => append(&mut out, end),
                None => self.session = Some(s),
            }
        }
        out
    }

    /// The prompt the terminal shows before the next line: the container shell's while a
    /// session is open (`root@shell-demo:/# `), else the learner's `$ `.
    pub fn prompt(&self) -> String {
        match &self.session {
            Some(s) => s.prompt(),
            None => "$ ".into(),
        }
    }

    fn run_list(&mut self, world: &mut World, list: &[(Join, String)], env: &Env<'_>, out: &mut Output) {
        let mut i = 0;
        let mut status = 0;
        while i < list.len() {
            let (join, cmd) = &list[i];
            let skip = (*join == Join::And && status != 0) || (*join == Join::Or && status == 0);
            let word = head(cmd);
            if word == "for" || word == "while" || word == "until" {
                // The loop runs to its matching `done`.
                let mut depth = 0;
                let mut end = None;
                for (j, (_, c)) in list.iter().enumerate().skip(i) {
                    let c_head = c.strip_prefix("do ").map_or(head(c), |rest| head(rest.trim()));
                    if matches!(c_head, "for" | "while" | "until") {
                        depth += 1;
                    }
                    if c == "done" || c.starts_with("done ") || c.ends_with(" done") {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                }
                let Some(end) = end else {
                    append(
                        out,
                        Output {
                            stderr: "sh: syntax error: unexpected end of file (expecting \"done\")\n".into(),
                            exit_code: 2,
                            ..Output::default()
                        },
                    );
                    return;
                };
                if !skip {
                    let sub = if word == "for" {
                        self.run_for(world, &list[i..=end], env)
                    } else {
                        Output::err(format!(
                            "kubeplay: `{word}` loops are not simulated (tutorials use them to run forever); run the command once, or use `traffic` to send many requests\n"
                        ))
                    };
                    status = sub.exit_code;
                    append(out, sub);
                }
                i = end + 1;
                continue;
            }
            if !skip {
                let sub = self.run_simple(world, cmd, env);
                status = sub.exit_code;
                append(out, sub);
            }
            i += 1;
        }
    }

    /// `for NAME in WORDS; do BODY; done`, given as the list's commands from `for` to `done`.
    fn run_for(&mut self, world: &mut World, parts: &[(Join, String)], env: &Env<'_>) -> Output {
        let header = parts[0].1.as_str();
        let rest = header.trim_start_matches("for").trim();
        let (name, words) = match rest.split_once(char::is_whitespace) {
            Some((n, w)) => (n, w.trim().strip_prefix("in").map(str::trim)),
            None => (rest, None),
        };
        if !is_name(name) {
            return Output { stderr: "sh: syntax error: bad for loop variable\n".into(), exit_code: 2, ..Output::default() };
        }
        let Some(words) = words else {
            return Output::err("kubeplay: `for` needs a word list (`for NAME in WORDS; do ...; done`)\n".into());
        };
        let expanded = self.expand(world, words, env);
        let items: Vec<String> = match shell_words::split(&expanded) {
            Ok(w) => w.iter().flat_map(|w| brace_expand(w)).collect(),
            Err(_) => return Output::err("sh: syntax error: unterminated quoted string\n".into()),
        };
        // The body: from `do ...` up to `... done`.
        let mut body: Vec<(Join, String)> = parts[1..].to_vec();
        match body.first_mut() {
            Some((_, first)) if head(first) == "do" => *first = first.trim_start_matches("do").trim().to_string(),
            _ => return Output { stderr: "sh: syntax error: expecting \"do\"\n".into(), exit_code: 2, ..Output::default() },
        }
        if let Some((_, last)) = body.last_mut() {
            *last = last.strip_suffix("done").unwrap_or(last).trim().to_string();
        }
        body.retain(|(_, c)| !c.is_empty());
        let mut out = Output::default();
        for item in items.iter().take(10_000) {
            self.vars.insert(name.to_string(), item.clone());
            self.run_list(world, &body, env, &mut out);
        }
        out
    }

    /// One command: an assignment, `sleep`, `settle`, or a command line with pipes.
    fn run_simple(&mut self, world: &mut World, line: &str, env: &Env<'_>) -> Output {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().copied() {
            Some("sleep") => {
                return match words.get(1).and_then(|d| kubeplay_sim::world::parse_duration(d)) {
                    Some(ms) if words.len() == 2 => {
                        let ran = world.run_for(ms, SETTLE_BOUND);
                        if ran >= SETTLE_BOUND {
                            Output::err(format!("kubeplay: sleep stopped after {SETTLE_BOUND} events (bound reached)\n"))
                        } else {
                            Output::default()
                        }
                    }
                    _ => Output::err("sleep: invalid time interval\n".into()),
                };
            }
            // Directories exist as the paths of the files in them.
            Some("mkdir") => return Output::default(),
            Some("rm") => return self.rm(&words[1..], env),
            // `wget URL -O FILE` / `curl -o FILE URL`: the docs download example files; only
            // the bundled copies of https://k8s.io/examples/ can be fetched.
            Some(tool @ ("wget" | "curl"))
                if words.iter().any(|w| crate::examples::is_example_url(w))
                    && (tool == "wget"
                        || words.iter().any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains(['o', 'O']))
                        || words.contains(&"--remote-name")) =>
            {
                let url = words.iter().find(|w| crate::examples::is_example_url(w)).copied().unwrap_or("");
                let flag = if tool == "wget" { "-O" } else { "-o" };
                // curl's `-o FILE` (also last in a group: `-sLo FILE`); `-O` names the file
                // after the URL, as wget does by default.
                let target = words
                    .iter()
                    .position(|w| {
                        *w == flag || (tool == "curl" && w.starts_with('-') && !w.starts_with("--") && w.ends_with('o'))
                    })
                    .and_then(|i| words.get(i + 1))
                    .map(|t| t.to_string());
                let target = target.unwrap_or_else(|| url.rsplit('/').next().unwrap_or("index.html").to_string());
                return match crate::examples::fetch(url) {
                    Ok(text) => {
                        self.files.insert(target.trim_start_matches("./").to_string(), text.to_string());
                        Output::default()
                    }
                    Err(e) => Output::err(format!("{tool}: {e}\n")),
                };
            }
            Some("settle") => {
                return match world.run_until_settled(SETTLE_BOUND) {
                    kubeplay_sim::Settled::Bounded { events } => {
                        Output::err(format!("kubeplay: the cluster did not settle within {events} events\n"))
                    }
                    kubeplay_sim::Settled::Settled { .. } => Output::default(),
                };
            }
            _ => {}
        }
        let trimmed = line.trim();
        let body = trimmed.strip_prefix("export ").unwrap_or(trimmed).trim();
        if let Some((name, value)) = body.split_once('=') {
            if is_name(name) && !value.starts_with('=') {
                let v = self.expand(world, value, env);
                self.vars.insert(name.to_string(), kubeplay_sim::images::unquote(&v));
                return Output::default();
            }
        }
        let expanded = self.expand(world, line, env);
        // Standard error redirects: merged (what the transcript shows anyway) or dropped.
        let quiet = expanded.contains(" 2>/dev/null");
        let expanded = expanded.replace(" 2>/dev/null", "");
        // A background command's `&` stays with the command, after any redirect.
        let (expanded, background) = match expanded.trim_end().strip_suffix(" &") {
            Some(rest) => (rest.to_string(), true),
            None => (expanded, false),
        };
        let (command, redirect) = split_redirect(&expanded);
        // `> FILE 2>&1`: standard error goes where standard output goes.
        let (redirect, merged) = match redirect {
            Some((path, append)) => match path.strip_suffix("2>&1") {
                Some(p) => (Some((p.trim().to_string(), append)), true),
                None => (Some((path, append)), false),
            },
            None => (None, false),
        };
        let command = if background { format!("{command} &") } else { command };
        if command.split_whitespace().next() == Some("openssl") {
            return self.openssl(&command);
        }
        let layered = Layered { own: &self.files, removed: &self.removed, inner: env.files };
        let env = Env { files: &layered, stdin: env.stdin };
        let mut out = crate::run(world, &command, &env);
        if quiet {
            out.stderr.clear();
        }
        if let Some((path, append)) = redirect {
            let path = path.trim_start_matches("./").to_string();
            if path == "/dev/null" {
                out.stdout.clear();
                if merged {
                    out.stderr.clear();
                }
            } else {
                let text = std::mem::take(&mut out.stdout);
                let entry = self.files.entry(path).or_default();
                if !append {
                    entry.clear();
                }
                entry.push_str(&text);
            }
        }
        out
    }

    /// `openssl req -x509 ... -keyout KEY -out CERT [-subj SUBJECT]`, as the docs make a
    /// self-signed certificate for an Ingress's TLS Secret. kubeplay writes stand-in PEM
    /// files (PEM blocks whose content says what they stand for), not real keys: it
    /// models which certificate a server presents and whether a client trusts it, not the
    /// cryptography, and says so.
    fn openssl(&mut self, command: &str) -> Output {
        let words = match shell_words::split(command) {
            Ok(w) => w,
            Err(_) => return Output::err("error: unterminated quote in command line\n".into()),
        };
        let flag = |name: &str| words.iter().position(|w| w == name).and_then(|i| words.get(i + 1)).cloned();
        if words.get(1).map(String::as_str) != Some("req") || !words.iter().any(|w| w == "-x509") {
            return Output {
                stderr:
                    "openssl: kubeplay simulates only `openssl req -x509 ... -keyout KEY -out CERT` (a self-signed certificate)\n"
                        .into(),
                exit_code: 1,
                ..Output::default()
            };
        }
        let (Some(key), Some(cert)) = (flag("-keyout"), flag("-out")) else {
            return Output {
                stderr: "openssl: kubeplay needs -keyout KEY and -out CERT (it does not print keys to the terminal)\n".into(),
                exit_code: 1,
                ..Output::default()
            };
        };
        let subject = flag("-subj").unwrap_or_else(|| "/CN=localhost".into());
        let days = flag("-days").unwrap_or_else(|| "30".into());
        let pem = |label: &str, text: &str| {
            let b64 = crate::base64_encode(text.as_bytes());
            let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
            format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
        };
        self.files.insert(
            key.trim_start_matches("./").to_string(),
            pem("PRIVATE KEY", &format!("kubeplay stand-in private key for {subject}; not a real key")),
        );
        self.files.insert(
            cert.trim_start_matches("./").to_string(),
            pem(
                "CERTIFICATE",
                &format!("kubeplay stand-in self-signed certificate: subject {subject}, valid {days} days; not a real X.509 certificate"),
            ),
        );
        Output {
            stderr: format!(
                "kubeplay: wrote stand-in PEM files {key} and {cert} (kubeplay models TLS trust, not its cryptography)\n"
            ),
            ..Output::default()
        }
    }

    /// Expands `$(command)`, `$NAME` and `${NAME}` outside single quotes. A substitution's
    /// trailing newlines are dropped, as the shell does; unset variables expand to nothing.
    pub fn expand(&self, world: &mut World, text: &str, env: &Env<'_>) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let (mut i, mut single) = (0, false);
        while i < chars.len() {
            let c = chars[i];
            if c == '\'' {
                single = !single;
                out.push(c);
                i += 1;
                continue;
            }
            // `\$` is a literal dollar sign, not an expansion. The backslash stays: the
            // words are split by sh's rules afterwards (which drop it), and a pipeline's
            // later stages (`| sed "s/\$X/y/"`) are parsed by the container shell again.
            if c == '\\' && !single && chars.get(i + 1) == Some(&'$') {
                out.push_str("\\$");
                i += 2;
                continue;
            }
            if c != '$' || single || i + 1 >= chars.len() {
                out.push(c);
                i += 1;
                continue;
            }
            match chars[i + 1] {
                '(' => {
                    // Find the matching parenthesis.
                    let mut depth = 0;
                    let mut j = i + 1;
                    while j < chars.len() {
                        match chars[j] {
                            '(' => depth += 1,
                            ')' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    let inner: String = chars[i + 2..j.min(chars.len())].iter().collect();
                    let mut sub = self.clone();
                    let o = sub.run(world, &inner, env);
                    out.push_str(o.stdout.trim_end_matches('\n'));
                    i = j + 1;
                }
                '{' => {
                    let close = chars[i + 2..].iter().position(|&x| x == '}').map(|p| p + i + 2);
                    match close {
                        Some(end) => {
                            let name: String = chars[i + 2..end].iter().collect();
                            out.push_str(self.vars.get(&name).map(String::as_str).unwrap_or(""));
                            i = end + 1;
                        }
                        None => {
                            out.push(c);
                            i += 1;
                        }
                    }
                }
                '?' => {
                    // The last command's exit status.
                    out.push_str(self.vars.get("?").map(String::as_str).unwrap_or("0"));
                    i += 2;
                }
                n if n.is_ascii_alphabetic() || n == '_' => {
                    let mut j = i + 1;
                    while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                        j += 1;
                    }
                    let name: String = chars[i + 1..j].iter().collect();
                    out.push_str(self.vars.get(&name).map(String::as_str).unwrap_or(""));
                    i = j;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_ampersand_ends_a_background_command() {
        let list = split_list("kubectl port-forward svc/web 8080 & curl localhost:8080 2>&1 && echo ok; x &> y");
        let want = [
            (Join::Seq, "kubectl port-forward svc/web 8080 &"),
            (Join::Seq, "curl localhost:8080 2>&1"),
            (Join::And, "echo ok"),
            (Join::Seq, "x &> y"),
        ];
        assert_eq!(list, want.map(|(j, c)| (j, c.to_string())).to_vec());
        assert_eq!(split_list("a '&' \"b & c\" &"), vec![(Join::Seq, "a '&' \"b & c\" &".to_string())]);
    }

    #[test]
    fn variables_and_substitution() {
        let mut world = World::new(1);
        let env = Env { files: &crate::NoFiles, stdin: None };
        let mut sh = Shell::default();
        sh.run(&mut world, "kubectl create namespace demo", &env);
        assert_eq!(sh.run(&mut world, r#"export NS="$(kubectl get ns demo -o name)""#, &env), Output::default());
        assert_eq!(sh.vars.get("NS").map(String::as_str), Some("namespace/demo"));
        assert_eq!(
            sh.run(&mut world, "echo \"the ns is $NS and ${NS}\"", &env).stdout,
            "the ns is namespace/demo and namespace/demo\n"
        );
        assert_eq!(sh.run(&mut world, "echo '$NS'", &env).stdout, "$NS\n");
        assert_eq!(sh.run(&mut world, "echo $UNSET.", &env).stdout, ".\n");
    }

    #[test]
    fn lists_loops_and_sleep() {
        let mut world = World::new(1);
        let env = Env { files: &crate::NoFiles, stdin: None };
        let mut sh = Shell::default();
        let o = sh.run(&mut world, "kubectl get pods nope && echo yes || echo no; echo end", &env);
        assert_eq!(o.combined(), "Error from server (NotFound): pods \"nope\" not found\nno\nend\n");
        let o = sh.run(&mut world, "for i in {1..3} x; do echo \"n=$i\"; done", &env);
        assert_eq!(o.stdout, "n=1\nn=2\nn=3\nn=x\n");
        let o = sh.run(&mut world, "for n in $(seq 2 3); do for m in a b; do echo $n$m; done; done", &env);
        assert_eq!(o.stdout, "2a\n2b\n3a\n3b\n");
        assert_eq!(sh.run(&mut world, "echo 'a; b' ; echo \"c && d\"", &env).stdout, "a; b\nc && d\n");
        let before = world.now_ms();
        assert_eq!(sh.run(&mut world, "sleep 30s", &env), Output::default());
        assert_eq!(world.now_ms(), before + 30_000);
        assert_eq!(sh.run(&mut world, "sleep soon", &env).stderr, "sleep: invalid time interval\n");
        assert!(sh.run(&mut world, "while true; do echo; done", &env).stderr.contains("not simulated"));
        assert!(sh.run(&mut world, "for i in 1; do echo", &env).stderr.contains("expecting \"done\""));
        assert_eq!(sh.run(&mut world, "echo -n admin | base64", &env).stdout, "YWRtaW4=\n");
        assert_eq!(sh.run(&mut world, "echo YWRtaW4= | base64 -d", &env).stdout, "admin");
        assert_eq!(sh.run(&mut world, "echo 'not base64!' | base64 -d", &env).stderr, "base64: invalid input\n");
    }

    #[test]
    fn redirects_write_the_learners_files() {
        let mut world = World::new(1);
        let env = Env { files: &crate::NoFiles, stdin: None };
        let mut sh = Shell::default();
        sh.run(&mut world, "kubectl create deployment web --image=nginx", &env);
        assert_eq!(sh.run(&mut world, "kubectl get deploy web -o yaml > web.yaml", &env).combined(), "");
        assert!(sh.files.get("web.yaml").is_some_and(|t| t.starts_with("apiVersion: apps/v1\n")));
        assert_eq!(sh.run(&mut world, "cat web.yaml | head -2", &env).stdout, "apiVersion: apps/v1\nkind: Deployment\n");
        sh.run(&mut world, "kubectl delete deploy web", &env);
        assert_eq!(sh.run(&mut world, "kubectl apply -f ./web.yaml", &env).stdout, "deployment.apps/web created\n");
        assert_eq!(sh.run(&mut world, "echo a > n.txt; echo b >> n.txt; cat n.txt", &env).stdout, "a\nb\n");
        assert_eq!(sh.run(&mut world, "kubectl get pods nope 2>/dev/null || echo gone", &env).combined(), "gone\n");
        assert_eq!(sh.run(&mut world, "kubectl get pods nope 2>&1 | grep -c NotFound", &env).stdout, "1\n");
        assert_eq!(sh.run(&mut world, "kubectl exec web -- sh -c 'echo x > /tmp/f'", &env).stdout, "");
        assert!(!sh.files.contains_key("/tmp/f'"), "a quoted > belongs to the pod's shell");
        assert_eq!(sh.run(&mut world, "cat missing.txt", &env).stderr, "cat: missing.txt: No such file or directory\n");
    }
}
