//! The shell that a container's own command runs (`sh -c '...'` in busybox, alpine, debian
//! or nginx images), run ahead of time into a `Program`: what it logs and when, the files it
//! touches, when it exits, or the period of its endless loop.
//!
//! It parses POSIX shell grammar: lists (`;`, `&&`, `||`, newlines), pipelines, `while`/
//! `until`, `for`, `if`/`elif`/`else`, `{ }` and `( )` groups, redirections (`>`, `>>`, `<`,
//! `2>&1`, `>/dev/null`), assignments, quoting, `$VAR`/`${VAR}`/`$?`, `$(...)` and
//! backquotes, and `$((arithmetic))`. Its commands are the busybox applets tutorials use
//! (echo, printf, sleep, cat, ls, env, printenv, date, test, grep, head, tail, wc, ...),
//! reading the container's files through `Fs` (volumes, ConfigMaps, Secrets, downward API).
//! Programs it cannot run (`wget`, `curl`, `apt-get`, ...) say so in the log; they are not
//! faked.
//!
//! Time is virtual: `sleep` advances the script's clock. An endless loop is run until a
//! horizon (an hour of virtual time, or a few thousand lines), after which its last
//! iteration repeats (`Program::repeat`).

use crate::images::Program;
use std::collections::BTreeMap;

/// What the shell runs in: the container's filesystem, and the programs the shell does not
/// implement itself (networking, through the world).
pub trait Host {
    /// A file's text, if it exists.
    fn read(&self, path: &str) -> Option<String>;
    /// A directory's entries (names), if it is a directory.
    fn list(&self, dir: &str) -> Option<Vec<String>>;
    /// What `ls -l` shows of a path. By default: root's directory or file, as `list` and
    /// `read` see it, dated at virtual time zero.
    fn stat(&self, path: &str) -> Option<crate::files::Stat> {
        use crate::files::{Stat, StatKind};
        let epoch = crate::world::EPOCH_UNIX_MS;
        match self.list(path) {
            Some(_) => Some(Stat::image(StatKind::Dir, 4096, epoch)),
            None => self.read(path).map(|t| Stat::image(StatKind::File, t.len() as u64, epoch)),
        }
    }
    /// Whether a listing of `dir` shows only part of it (the image's own files there are
    /// not modelled).
    fn partial(&self, _dir: &str) -> bool {
        false
    }
    /// Runs a program the shell does not implement (`wget`, `curl`, `nslookup`): its
    /// stdout, stderr and exit status, or `None` when the host cannot run it either.
    fn external(&mut self, _argv: &[String], _stdin: &str) -> Option<(String, String, i32)> {
        None
    }
    /// Whether the image has busybox `wget` (and the host a network for it).
    fn has_wget(&self) -> bool {
        false
    }
    /// An HTTP GET from the container (busybox `wget`): the answer's status, the address
    /// connected to and its body, or busybox's error text.
    fn http_get(&mut self, url: &str) -> Result<HttpAnswer, String> {
        Err(format!("wget: bad address '{url}'\n"))
    }
    /// Signals the container's main process (PID 1): it ends and the kubelet restarts it
    /// by the pod's policy. `Err` when the host cannot.
    fn kill_main(&mut self, _sigkill: bool) -> Result<(), String> {
        Err("can't kill pid 1: Operation not permitted".into())
    }
    /// Sends `signal` (`TERM`, `KILL`, `HUP`, ...) to another process the container sees
    /// (a shared process namespace's): `None` when the host knows no such process.
    fn kill_pid(&mut self, _pid: u32, _signal: &str) -> Option<Result<(), String>> {
        None
    }
    /// The container's image tag (`4.2` of `mongo:4.2`), where the host knows it.
    fn image_tag(&self) -> &str {
        ""
    }
    /// How many CPUs the node running the container has (what nginx's `worker_processes
    /// auto` sees).
    fn node_cpus(&self) -> u32 {
        1
    }
    /// The pod's IP address, once it has one.
    fn pod_ip(&self) -> &str {
        ""
    }
}

/// What an HTTP GET got back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    pub reason: String,
    /// `host (ip:port)`, as wget prints it when connecting.
    pub connected: String,
    pub body: String,
}

/// A container with no files and no network.
pub struct NoFs;

impl Host for NoFs {
    fn read(&self, _: &str) -> Option<String> {
        None
    }
    fn list(&self, _: &str) -> Option<Vec<String>> {
        None
    }
}

/// Where and how the script runs.
pub struct Ctx<'a> {
    pub env: &'a BTreeMap<String, String>,
    /// Unix time (ms) when the container starts, for `date`.
    pub start_unix_ms: i64,
    /// dash (Debian, nginx) rather than busybox ash: `echo` interprets backslash escapes.
    pub dash: bool,
    /// Who the shell runs as (`id`, `whoami`).
    pub user: crate::images::User,
    /// The working directory it starts in (the container's `workingDir`, else the image's).
    pub workdir: String,
    /// Standard output is a terminal (an interactive `kubectl exec -it` session): `ls`
    /// lists in columns there.
    pub tty: bool,
}

impl<'a> Ctx<'a> {
    /// A plain context: root in `/`, busybox's ash, no terminal, at the virtual epoch's
    /// Unix time 0 (for pipes on the laptop and tests).
    pub fn plain(env: &'a BTreeMap<String, String>) -> Ctx<'a> {
        Ctx { env, start_unix_ms: 0, dash: false, user: Default::default(), workdir: String::new(), tty: false }
    }
}

/// Real programs (busybox applets, coreutils, common clients and tools) that kubeplay does
/// not simulate: a command naming one gets kubeplay's note rather than a claim that the
/// image lacks it.
pub const UNSIMULATED_TOOLS: &[&str] = &[
    "arp",
    "arping",
    "basename",
    "bc",
    "blkid",
    "bunzip2",
    "bzcat",
    "bzip2",
    "cal",
    "chgrp",
    "chroot",
    "clear",
    "cmp",
    "comm",
    "cpio",
    "crond",
    "crontab",
    "dc",
    "dd",
    "df",
    "diff",
    "dirname",
    "dmesg",
    "dnsdomainname",
    "du",
    "egrep",
    "expand",
    "factor",
    "fallocate",
    "fgrep",
    "find",
    "fold",
    "free",
    "fuser",
    "getent",
    "getopt",
    "gunzip",
    "gzip",
    "hd",
    "hexdump",
    "hostid",
    "hwclock",
    "ifconfig",
    "install",
    "ionice",
    "iostat",
    "ip",
    "ipcalc",
    "less",
    "link",
    "logger",
    "logname",
    "losetup",
    "lsof",
    "md5sum",
    "mkfifo",
    "mknod",
    "mktemp",
    "more",
    "mount",
    "mountpoint",
    "mpstat",
    "netstat",
    "nice",
    "nl",
    "nohup",
    "nproc",
    "nsenter",
    "od",
    "paste",
    "patch",
    "pgrep",
    "pidof",
    "pkill",
    "pmap",
    "pstree",
    "pwdx",
    "readlink",
    "realpath",
    "renice",
    "reset",
    "route",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "shred",
    "shuf",
    "split",
    "stat",
    "strings",
    "stty",
    "su",
    "sum",
    "sync",
    "sysctl",
    "tac",
    "tar",
    "taskset",
    "tee",
    "telnet",
    "time",
    "timeout",
    "traceroute",
    "truncate",
    "tty",
    "umount",
    "unlink",
    "unshare",
    "unzip",
    "uptime",
    "usleep",
    "vi",
    "watch",
    "which",
    "whois",
    "xargs",
    "xxd",
    "yes",
    "zcat",
    "lsblk",
    "ss",
    "tcpdump",
    "strace",
    "iptables",
    "openssl",
    "jq",
    "git",
    "vim",
    "nano",
    "htop",
    "ruby",
    "java",
    "npm",
    "pip",
    "pip3",
    "mysql",
    "mysqladmin",
    "mysqld",
    "psql",
    "pg_isready",
    "redis-cli",
    "mongo",
    "mongosh",
    "sqlite3",
    "scp",
    "rsync",
    "host",
    "ping6",
    "tini",
    "dumb-init",
    "envsubst",
];

/// Programs that exist in the images but that the shell cannot run by itself (the host may).
const NOT_SIMULATED: &[&str] =
    &["curl", "nc", "ping", "apt-get", "apt", "apk", "ps", "kill", "top", "nslookup", "dig", "ssh", "python", "python3", "node"];

/// The programs (not shell builtins such as `cd` or `exit`) the shell implements as the
/// images' busybox or coreutils do: `kubectl exec POD -- wc -l F` runs them here too.
pub const PROGRAMS: &[&str] = &[
    "echo", "printf", "sleep", "true", "false", "pwd", "date", "hostname", "whoami", "id", "uname", "env", "printenv", "cat",
    "ls", "touch", "rm", "mkdir", "chmod", "chown", "ln", "test", "[", "grep", "head", "tail", "wc", "sort", "seq", "expr",
    "base64", "cp", "mv", "kill", "rev", "cut", "uniq", "sed", "awk", "tr",
];

/// The most output one command substitution, pipe or exec keeps, in bytes.
const MAX_OUTPUT: usize = 4 << 20;

/// The most file changes a container's own script records.
const MAX_WRITES: usize = 256;

/// How long an endless loop is unrolled, in virtual ms, and how many lines at most.
const HORIZON_MS: u64 = 3_600_000;
const HORIZON_LINES: usize = 3_000;
/// Commands run before the script is taken to spin without sleeping.
const MAX_OPS: u64 = 200_000;

// ---------------------------------------------------------------------------------------
// Lexing and parsing

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A word as written (quotes kept; expanded at run time).
    Word(String),
    /// `;`, `&`, `&&`, `||`, `|`, newline, `(`, `)`.
    Op(&'static str),
    /// A redirection: fd, operator (`>`, `>>`, `<`, `>&`), then its target word follows.
    Redir(u8, &'static str),
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Tok>| {
        if !word.is_empty() {
            out.push(Tok::Word(std::mem::take(word)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' => {
                let end = chars[i + 1..].iter().position(|&x| x == '\'').ok_or("unterminated quoted string")?;
                word.extend(&chars[i..i + end + 2]);
                i += end + 2;
            }
            '"' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    if chars[j] == '\\' {
                        j += 1;
                    } else if chars[j] == '$' && chars.get(j + 1) == Some(&'(') {
                        j = matching_paren(&chars, j + 1)?;
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return Err("unterminated quoted string".into());
                }
                word.extend(&chars[i..=j]);
                i = j + 1;
            }
            '\\' => {
                if chars.get(i + 1) == Some(&'\n') {
                    i += 2;
                } else {
                    word.extend(chars.get(i..(i + 2).min(chars.len())).unwrap_or(&[]));
                    i += 2;
                }
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                let end = matching_paren(&chars, i + 1)?;
                word.extend(&chars[i..=end]);
                i = end + 1;
            }
            '`' => {
                let end = chars[i + 1..].iter().position(|&x| x == '`').ok_or("unterminated backquote")?;
                word.extend(&chars[i..i + end + 2]);
                i += end + 2;
            }
            '#' if word.is_empty() => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ' ' | '\t' | '\r' => {
                flush(&mut word, &mut out);
                i += 1;
            }
            // bash's array literal, `items=(foo bar)`: kept in the assignment's word.
            '(' if word.ends_with('=')
                && word[..word.len() - 1]
                    .chars()
                    .enumerate()
                    .all(|(k, c)| c == '_' || c.is_ascii_alphabetic() || (k > 0 && c.is_ascii_digit())) =>
            {
                let end = matching_paren(&chars, i)?;
                word.extend(&chars[i..=end]);
                i = end + 1;
            }
            '\n' | ';' | '(' | ')' => {
                flush(&mut word, &mut out);
                out.push(Tok::Op(match c {
                    '\n' => "\n",
                    ';' => ";",
                    '(' => "(",
                    _ => ")",
                }));
                i += 1;
            }
            '&' | '|' => {
                flush(&mut word, &mut out);
                let double = chars.get(i + 1) == Some(&c);
                if c == '&' && chars.get(i + 1) == Some(&'>') {
                    // `&>file`: stdout and stderr.
                    out.push(Tok::Redir(1, ">"));
                    out.push(Tok::Word("/dev/stdout+2".into()));
                    i += 2;
                    continue;
                }
                out.push(Tok::Op(match (c, double) {
                    ('&', true) => "&&",
                    ('&', false) => "&",
                    ('|', true) => "||",
                    _ => "|",
                }));
                i += if double { 2 } else { 1 };
            }
            '>' | '<' => {
                // An all-digit word just before is the fd (`2>`).
                let fd = if !word.is_empty() && word.chars().all(|d| d.is_ascii_digit()) {
                    let fd = word.parse::<u8>().unwrap_or(1);
                    word.clear();
                    fd
                } else {
                    flush(&mut word, &mut out);
                    if c == '<' {
                        0
                    } else {
                        1
                    }
                };
                let op = match (c, chars.get(i + 1)) {
                    ('>', Some('>')) => {
                        i += 1;
                        ">>"
                    }
                    ('>', Some('&')) => {
                        i += 1;
                        ">&"
                    }
                    ('>', _) => ">",
                    _ => "<",
                };
                i += 1;
                out.push(Tok::Redir(fd, op));
            }
            _ => {
                word.push(c);
                i += 1;
            }
        }
    }
    flush(&mut word, &mut out);
    Ok(out)
}

/// The index of the `)` matching the `(` at `open`, skipping quotes and nested parens.
fn matching_paren(chars: &[char], open: usize) -> Result<usize, String> {
    let mut depth = 0;
    let mut j = open;
    let mut quote: Option<char> = None;
    while j < chars.len() {
        let c = chars[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(j);
                    }
                }
                _ => {}
            },
        }
        j += 1;
    }
    Err("syntax error: unterminated $(".into())
}

#[derive(Clone, Debug)]
enum Node {
    Simple {
        assigns: Vec<(String, String)>,
        words: Vec<String>,
        redirs: Vec<(u8, &'static str, String)>,
    },
    Pipeline(Vec<Node>, bool),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    List(Vec<Node>),
    Loop {
        cond: Box<Node>,
        body: Box<Node>,
        until: bool,
    },
    For {
        var: String,
        items: Option<Vec<String>>,
        body: Box<Node>,
    },
    If {
        branches: Vec<(Node, Node)>,
        otherwise: Option<Box<Node>>,
    },
    Group(Box<Node>, Vec<(u8, &'static str, String)>),
    /// `( ... )`: a group run in a subshell, whose variables, directory and `exit` stay
    /// inside it.
    Subshell(Box<Node>, Vec<(u8, &'static str, String)>),
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: u32,
}

/// How deeply compound commands and `$(...)` may nest (the recursion stays far from the
/// stack's end, in wasm too).
const MAX_DEPTH: u32 = 48;

const RESERVED: &[&str] = &["then", "elif", "else", "fi", "do", "done", "}", "esac"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_word(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Op("\n")) | Some(Tok::Op(";"))) {
            self.pos += 1;
        }
    }

    fn expect_word(&mut self, w: &str) -> Result<(), String> {
        self.skip_newlines();
        if self.peek_word() == Some(w) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("syntax error: expected \"{w}\""))
        }
    }

    /// A list up to one of `stops` (a reserved word) or the end.
    fn list(&mut self, stops: &[&str]) -> Result<Node, String> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                None => break,
                Some(Tok::Op(")")) => break,
                Some(Tok::Word(w)) if stops.contains(&w.as_str()) => break,
                _ => {}
            }
            items.push(self.and_or()?);
            if let Some(Tok::Op(";" | "\n" | "&")) = self.peek() {
                self.pos += 1;
            }
        }
        Ok(Node::List(items))
    }

    fn and_or(&mut self) -> Result<Node, String> {
        let mut left = self.pipeline()?;
        loop {
            match self.peek() {
                Some(Tok::Op("&&")) => {
                    self.pos += 1;
                    self.skip_only_newlines();
                    left = Node::And(Box::new(left), Box::new(self.pipeline()?));
                }
                Some(Tok::Op("||")) => {
                    self.pos += 1;
                    self.skip_only_newlines();
                    left = Node::Or(Box::new(left), Box::new(self.pipeline()?));
                }
                _ => return Ok(left),
            }
        }
    }

    fn skip_only_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Op("\n"))) {
            self.pos += 1;
        }
    }

    fn pipeline(&mut self) -> Result<Node, String> {
        let negate = self.peek_word() == Some("!");
        if negate {
            self.pos += 1;
        }
        let mut cmds = vec![self.command()?];
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.pos += 1;
            self.skip_only_newlines();
            cmds.push(self.command()?);
        }
        Ok(if cmds.len() == 1 && !negate { cmds.remove(0) } else { Node::Pipeline(cmds, negate) })
    }

    fn redirs(&mut self) -> Result<Vec<(u8, &'static str, String)>, String> {
        let mut out = Vec::new();
        while let Some(Tok::Redir(fd, op)) = self.peek().cloned() {
            self.pos += 1;
            let Some(Tok::Word(target)) = self.peek().cloned() else {
                return Err("syntax error: redirection without a target".into());
            };
            self.pos += 1;
            out.push((fd, op, target));
        }
        Ok(out)
    }

    fn command(&mut self) -> Result<Node, String> {
        self.depth += 1;
        let r = self.command_inner();
        self.depth -= 1;
        r
    }

    fn command_inner(&mut self) -> Result<Node, String> {
        if self.depth > MAX_DEPTH {
            return Err("syntax error: too deeply nested".into());
        }
        match self.peek().cloned() {
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let body = self.list(&[])?;
                if !matches!(self.peek(), Some(Tok::Op(")"))) {
                    return Err("syntax error: missing )".into());
                }
                self.pos += 1;
                let r = self.redirs()?;
                return Ok(Node::Subshell(Box::new(body), r));
            }
            Some(Tok::Word(w)) => match w.as_str() {
                "while" | "until" => {
                    self.pos += 1;
                    let cond = self.list(&["do"])?;
                    self.expect_word("do")?;
                    let body = self.list(&["done"])?;
                    self.expect_word("done")?;
                    return Ok(Node::Loop { cond: Box::new(cond), body: Box::new(body), until: w == "until" });
                }
                "for" => {
                    self.pos += 1;
                    let Some(var) = self.peek_word().map(String::from) else {
                        return Err("syntax error: bad for loop variable".into());
                    };
                    self.pos += 1;
                    let items = if self.peek_word() == Some("in") {
                        self.pos += 1;
                        let mut items = Vec::new();
                        while let Some(w) = self.peek_word() {
                            items.push(w.to_string());
                            self.pos += 1;
                        }
                        Some(items)
                    } else {
                        None
                    };
                    self.expect_word("do")?;
                    let body = self.list(&["done"])?;
                    self.expect_word("done")?;
                    return Ok(Node::For { var, items, body: Box::new(body) });
                }
                "if" => {
                    self.pos += 1;
                    let mut branches = Vec::new();
                    let mut otherwise = None;
                    let cond = self.list(&["then"])?;
                    self.expect_word("then")?;
                    let body = self.list(&["elif", "else", "fi"])?;
                    branches.push((cond, body));
                    loop {
                        self.skip_newlines();
                        match self.peek_word() {
                            Some("elif") => {
                                self.pos += 1;
                                let c = self.list(&["then"])?;
                                self.expect_word("then")?;
                                let b = self.list(&["elif", "else", "fi"])?;
                                branches.push((c, b));
                            }
                            Some("else") => {
                                self.pos += 1;
                                otherwise = Some(Box::new(self.list(&["fi"])?));
                            }
                            Some("fi") => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err("syntax error: expected \"fi\"".into()),
                        }
                    }
                    return Ok(Node::If { branches, otherwise });
                }
                "{" => {
                    self.pos += 1;
                    let body = self.list(&["}"])?;
                    self.expect_word("}")?;
                    let r = self.redirs()?;
                    return Ok(Node::Group(Box::new(body), r));
                }
                w if RESERVED.contains(&w) => return Err(format!("syntax error: unexpected \"{w}\"")),
                _ => {}
            },
            _ => {}
        }
        let mut assigns = Vec::new();
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w)) => {
                    self.pos += 1;
                    match w.split_once('=') {
                        Some((k, v)) if words.is_empty() && is_name(k) => assigns.push((k.to_string(), v.to_string())),
                        _ => words.push(w),
                    }
                }
                Some(Tok::Redir(..)) => redirs.extend(self.redirs()?),
                _ => break,
            }
        }
        if words.is_empty() && assigns.is_empty() && redirs.is_empty() {
            return Err(match self.peek() {
                Some(Tok::Op(op)) => format!("syntax error: unexpected \"{}\"", if *op == "\n" { "newline" } else { op }),
                _ => "syntax error: unexpected end of file".into(),
            });
        }
        Ok(Node::Simple { assigns, words, redirs })
    }
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

fn parse(script: &str) -> Result<Node, String> {
    let mut p = Parser { toks: lex(script)?, pos: 0, depth: 0 };
    let node = p.list(&[])?;
    if p.pos < p.toks.len() {
        return Err(match &p.toks[p.pos] {
            Tok::Word(w) => format!("syntax error: unexpected \"{w}\""),
            Tok::Op(o) => format!("syntax error: unexpected \"{o}\""),
            Tok::Redir(..) => "syntax error: unexpected redirection".into(),
        });
    }
    Ok(node)
}

// ---------------------------------------------------------------------------------------
// Running

/// Why a run stopped early.
enum Stop {
    Exit(i32),
    /// The horizon was reached inside an endless loop.
    Horizon,
}

/// Where a command's standard output goes.
enum Sink {
    /// The container's log (stdout and stderr interleave there).
    Log,
    Buf(String),
}

struct Run<'a> {
    ctx: &'a Ctx<'a>,
    host: &'a mut dyn Host,
    /// Standard error, when it is kept apart from standard output (`kubectl exec`); a
    /// container's own command logs both.
    stderr: Option<String>,
    vars: BTreeMap<String, String>,
    t: u64,
    logs: Vec<(u64, String)>,
    partial: String,
    partial_t: u64,
    files: Vec<(u64, String, bool)>,
    /// What the script wrote (Some) or removed (None), over the container's files.
    overlay: BTreeMap<String, Option<String>>,
    /// The same changes in time order, for the kubelet.
    writes: Vec<(u64, String, Option<String>)>,
    status: i32,
    ops: u64,
    cwd: String,
    /// Command substitutions (and `sh -c`) in progress.
    nesting: u32,
    /// The current command's standard output is the terminal (not a pipe, file or
    /// substitution).
    terminal: bool,
    /// A command went to the host (the cluster's DNS): the outcome may change over time.
    asked_cluster: bool,
    /// The file a `tail -f` at the end of the run keeps following (absolute path), and how
    /// many lines it had when read.
    follows: Option<(String, usize, u64)>,
    /// HTTP requests made (`wget`), and the last URL.
    requests: u64,
    request_url: Option<String>,
    /// The first command the shell could not find (`sh: X: not found`).
    not_found: Option<String>,
}

fn strip_path(cmd: &str) -> &str {
    for p in ["/usr/local/bin/", "/usr/local/sbin/", "/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/"] {
        if let Some(rest) = cmd.strip_prefix(p) {
            return rest;
        }
    }
    cmd
}

impl<'a> Run<'a> {
    fn emit(&mut self, sink: &mut Sink, text: &str) {
        match sink {
            // Output beyond a few MiB is dropped: an endless loop must not exhaust memory.
            Sink::Buf(b) if b.len() + text.len() > MAX_OUTPUT => {}
            Sink::Buf(b) => b.push_str(text),
            Sink::Log => {
                // A line is stamped with the time its first byte was written.
                if self.partial.is_empty() {
                    self.partial_t = self.t;
                }
                self.partial.push_str(text);
                while let Some(i) = self.partial.find('\n') {
                    let line: String = self.partial.drain(..=i).collect();
                    self.logs.push((self.partial_t, line.trim_end_matches('\n').to_string()));
                    self.partial_t = self.t;
                }
            }
        }
    }

    /// Writes to standard error: kept apart for `kubectl exec`, into the log otherwise.
    fn emit_err(&mut self, text: &str) {
        match &mut self.stderr {
            Some(e) if e.len() + text.len() > MAX_OUTPUT => {}
            Some(e) => e.push_str(text),
            None => self.emit(&mut Sink::Log, text),
        }
    }

    fn past_horizon(&self) -> bool {
        self.t > HORIZON_MS || self.logs.len() > HORIZON_LINES || self.ops > MAX_OPS
    }

    fn abs(&self, p: &str) -> String {
        if p.starts_with('/') {
            crate::files::clean(p)
        } else {
            crate::files::clean(&format!("{}/{p}", self.cwd))
        }
    }

    fn read(&self, path: &str) -> Option<String> {
        let p = self.abs(path);
        if p == "/dev/null" {
            return Some(String::new());
        }
        match self.overlay.get(&p) {
            Some(v) => v.clone(),
            None => self.host.read(&p),
        }
    }

    /// `TOOL: FILE` cannot be read: busybox's wording, or GNU coreutils' in Debian-based
    /// images; under /proc (which kubeplay does not model) kubeplay says so instead.
    fn unreadable(&self, tool: &str, path: &str) -> String {
        let abs = self.abs(path);
        if abs == "/proc" || abs.starts_with("/proc/") {
            return format!("kubeplay: {tool}: {path}: /proc is not simulated\n");
        }
        match (tool, self.ctx.dash) {
            ("cat" | "wc" | "grep", true) | ("grep", false) => format!("{tool}: {path}: No such file or directory\n"),
            ("head" | "tail", true) => format!("{tool}: cannot open '{path}' for reading: No such file or directory\n"),
            _ => format!("{tool}: can't open '{path}': No such file or directory\n"),
        }
    }

    /// What `ls -l` shows of a path: what this script wrote is the shell user's (its group
    /// the directory's when that is setgid, as on Linux), the rest is the host's to say.
    fn stat(&self, path: &str) -> Option<crate::files::Stat> {
        use crate::files::{Stat, StatKind};
        let p = self.abs(path);
        let now = self.ctx.start_unix_ms.saturating_add(i64::try_from(self.t).unwrap_or(0));
        let user = &self.ctx.user;
        let parent_gid = |p: &str| {
            let parent = p.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
            self.host.stat(parent).filter(|s| s.mode & 0o2000 != 0).map_or(user.gid, |s| s.gid)
        };
        match self.overlay.get(&p) {
            Some(None) => None,
            Some(Some(text)) => Some(Stat {
                kind: StatKind::File,
                mode: 0o644,
                uid: user.uid,
                gid: parent_gid(&p),
                size: text.len() as u64,
                nlink: 1,
                mtime_unix_ms: now,
            }),
            None => self.host.stat(&p).or_else(|| {
                // A directory that exists only through what this script wrote under it.
                self.list(&p).map(|_| Stat {
                    kind: StatKind::Dir,
                    mode: 0o755,
                    uid: user.uid,
                    gid: parent_gid(&p),
                    size: 4096,
                    nlink: 2,
                    mtime_unix_ms: now,
                })
            }),
        }
    }

    /// `ls -l` rows: busybox's fixed columns, or GNU coreutils' (dash images) aligned to
    /// the widest entry; with `total` (1 KiB blocks, 4 KiB per block used) for a directory.
    fn long_listing(&self, rows: &[(String, crate::files::Stat)], numeric: bool, total: bool) -> String {
        use crate::files::StatKind;
        let now = self.ctx.start_unix_ms.saturating_add(i64::try_from(self.t).unwrap_or(0));
        let name_of = |id: i64| if id == 0 && !numeric { "root".to_string() } else { id.to_string() };
        let when = |ms: i64| {
            let ts = k8s_openapi::jiff::Timestamp::from_millisecond(ms).unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH);
            // Both print the year instead of the time for a file over six months old.
            let old = now.saturating_sub(ms) > 15_778_476_000 || ms > now.saturating_add(3_600_000);
            ts.strftime(if old { "%b %e  %Y" } else { "%b %e %H:%M" }).to_string()
        };
        let cols: Vec<[String; 6]> = rows
            .iter()
            .map(|(n, st)| {
                let name = match &st.kind {
                    StatKind::Link(to) => format!("{n} -> {to}"),
                    _ => n.clone(),
                };
                [
                    st.mode_string(),
                    st.nlink.to_string(),
                    name_of(st.uid),
                    name_of(st.gid),
                    st.size.to_string(),
                    format!("{} {name}", when(st.mtime_unix_ms)),
                ]
            })
            .collect();
        let mut out = String::new();
        if total {
            let blocks: u64 = rows
                .iter()
                .map(|(_, st)| match st.kind {
                    StatKind::Dir => 4,
                    StatKind::File => st.size.div_ceil(4096) * 4,
                    StatKind::Link(_) => 0,
                })
                .sum();
            out.push_str(&format!("total {blocks}\n"));
        }
        let width = |i: usize| cols.iter().map(|c| c[i].len()).max().unwrap_or(0);
        for c in &cols {
            if self.ctx.dash {
                let (w1, w2, w3, w4) = (width(1), width(2), width(3), width(4));
                out.push_str(&format!("{} {:>w1$} {:<w2$} {:<w3$} {:>w4$} {}\n", c[0], c[1], c[2], c[3], c[4], c[5]));
            } else {
                let (u, g) = (&c[2][..c[2].len().min(8)], &c[3][..c[3].len().min(8)]);
                out.push_str(&format!("{:<10} {:>4} {u:<8} {g:<8} {:>9} {}\n", c[0], c[1], c[4], c[5]));
            }
        }
        out
    }

    fn list(&self, dir: &str) -> Option<Vec<String>> {
        let d = self.abs(dir);
        let prefix = if d == "/" { "/".to_string() } else { format!("{d}/") };
        let mut names: Vec<String> = self.host.list(&d).unwrap_or_default();
        let mut exists = self.host.list(&d).is_some();
        for (p, v) in &self.overlay {
            if let Some(rest) = p.strip_prefix(&prefix) {
                let name = rest.split('/').next().unwrap_or(rest).to_string();
                exists = true;
                if v.is_some() || rest.contains('/') {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                } else {
                    names.retain(|n| *n != name);
                }
            }
        }
        names.sort();
        exists.then_some(names)
    }

    fn write(&mut self, path: &str, text: &str, append: bool) {
        if path == "/dev/null" || path == "/dev/stdout" || path == "/dev/stderr" {
            return;
        }
        let p = self.abs(path);
        let mut content = if append { self.read(&p).unwrap_or_default() } else { String::new() };
        content.push_str(text);
        self.log_write(&p, Some(&content));
        self.overlay.insert(p.clone(), Some(content));
        self.files.push((self.t, p, true));
    }

    /// busybox `wget [-q] [-O FILE|-] [-T SEC] [-U AGENT] URL`: fetches over the cluster's
    /// network (and the few public sites kubeplay keeps copies of); saves to FILE (by
    /// default the URL's last path segment, or index.html) or writes to stdout with `-O -`.
    fn wget(&mut self, args: &[String], err: &mut String) -> (String, i32) {
        let mut quiet = false;
        let mut spider = false;
        let mut out_file: Option<String> = None;
        let mut url: Option<String> = None;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "-O" || a == "--output-document" {
                out_file = args.get(i + 1).cloned();
                i += 2;
                continue;
            }
            if a == "-T" || a == "-U" || a == "--header" || a == "-Y" {
                i += 2;
                continue;
            }
            if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty() && !f.starts_with('-')) {
                // Glued short flags: -q, -qO-, -qO FILE, -O-.
                let chars = flags.char_indices();
                for (k, c) in chars {
                    match c {
                        'q' => quiet = true,
                        'O' => {
                            let rest = &flags[k + 1..];
                            out_file = if rest.is_empty() {
                                i += 1;
                                args.get(i).cloned()
                            } else {
                                Some(rest.to_string())
                            };
                            break;
                        }
                        _ => {}
                    }
                }
            } else if a == "--quiet" {
                quiet = true;
            } else if a == "--spider" {
                spider = true;
            } else if !a.starts_with('-') {
                url = Some(a.clone());
            }
            i += 1;
        }
        let Some(url) = url else {
            err.push_str("BusyBox wget: missing URL\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header 'HEADER: VALUE'] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n");
            return (String::new(), 1);
        };
        self.asked_cluster = true;
        self.requests += 1;
        self.request_url = Some(url.clone());
        let answer = match self.host.http_get(&url) {
            Ok(a) => a,
            Err(e) => {
                // `-q` keeps the progress lines to itself, the error it reports.
                let shown = e.lines().filter(|l| !(quiet && l.starts_with("Connecting to "))).map(|l| format!("{l}\n"));
                err.push_str(&shown.collect::<String>());
                return (String::new(), 1);
            }
        };
        if !quiet {
            err.push_str(&format!("Connecting to {}\n", answer.connected));
        }
        if answer.status >= 400 {
            err.push_str(&format!("wget: server returned error: HTTP/1.1 {} {}\n", answer.status, answer.reason));
            return (String::new(), 1);
        }
        if spider {
            // `--spider`: only checks that the URL answers; nothing is downloaded.
            if !quiet {
                err.push_str("remote file exists\n");
            }
            return (String::new(), 0);
        }
        let to_stdout = out_file.as_deref() == Some("-");
        let file = out_file.unwrap_or_else(|| {
            let path = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            let last = path.split_once('/').map_or("", |(_, p)| p).split(['?', '#']).next().unwrap_or("");
            let last = last.rsplit('/').next().unwrap_or("");
            if last.is_empty() {
                "index.html".to_string()
            } else {
                last.to_string()
            }
        });
        if !quiet {
            let shown = if to_stdout { "-".to_string() } else { file.rsplit('/').next().unwrap_or(&file).to_string() };
            if to_stdout {
                err.push_str("writing to stdout\n");
            } else {
                err.push_str(&format!("saving to '{file}'\n"));
            }
            // libbb's progress meter at 80 columns: name, percent, a 31-star bar, size, ETA.
            err.push_str(&format!("{shown:<20.20} 100% |{}|{:>6}   0:00:00 ETA\n", "*".repeat(31), answer.body.len()));
            if to_stdout {
                err.push_str("written to stdout\n");
            } else {
                err.push_str(&format!("'{file}' saved\n"));
            }
        }
        if to_stdout {
            return (answer.body, 0);
        }
        self.write(&file, &answer.body, false);
        (String::new(), 0)
    }

    /// Records a file change with its time, for the kubelet to store as time passes (at
    /// most `MAX_WRITES` changes of at most 64 KiB each: a loop rewriting a file forever
    /// stores its first changes only).
    fn log_write(&mut self, path: &str, content: Option<&str>) {
        if self.writes.len() < MAX_WRITES && content.is_none_or(|c| c.len() <= 65_536) {
            self.writes.push((self.t, path.to_string(), content.map(str::to_string)));
        }
    }

    // --- expansion ---

    fn var(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "$" => "1".into(),
            "#" | "0" => {
                if name == "#" {
                    "0".into()
                } else {
                    "sh".into()
                }
            }
            _ => self.vars.get(name).cloned().unwrap_or_default(),
        }
    }

    /// Expands a word into fields: quotes removed, variables and substitutions expanded,
    /// unquoted expansions split on whitespace.
    fn expand(&mut self, word: &str) -> Result<Vec<String>, Stop> {
        let chars: Vec<char> = word.chars().collect();
        let mut fields: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        let mut i = 0;
        let mut dq = false;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '\'' if !dq => {
                    let end = chars[i + 1..].iter().position(|&x| x == '\'').map_or(chars.len(), |e| i + 1 + e);
                    cur.extend(&chars[i + 1..end.min(chars.len())]);
                    has = true;
                    i = end + 1;
                }
                '"' => {
                    dq = !dq;
                    has = true;
                    i += 1;
                }
                '\\' => {
                    let next = chars.get(i + 1).copied();
                    match next {
                        Some(n) if !dq || "$`\"\\\n".contains(n) => {
                            cur.push(n);
                            i += 2;
                        }
                        _ => {
                            cur.push('\\');
                            i += 1;
                        }
                    }
                }
                '$' | '`' => {
                    let (value, next) = self.dollar(&chars, i)?;
                    i = next;
                    match value {
                        None => cur.push('$'),
                        Some(v) if dq => {
                            cur.push_str(&v);
                            has = true;
                        }
                        Some(v) => {
                            // Field splitting of an unquoted expansion.
                            let starts_ws = v.starts_with(char::is_whitespace);
                            let parts: Vec<&str> = v.split_whitespace().collect();
                            if starts_ws && (has || !cur.is_empty()) {
                                fields.push(std::mem::take(&mut cur));
                                has = false;
                            }
                            for (k, p) in parts.iter().enumerate() {
                                if k > 0 {
                                    fields.push(std::mem::take(&mut cur));
                                }
                                cur.push_str(p);
                                has = true;
                            }
                            if v.ends_with(char::is_whitespace) && !parts.is_empty() {
                                fields.push(std::mem::take(&mut cur));
                                has = false;
                            }
                        }
                    }
                }
                _ => {
                    cur.push(c);
                    i += 1;
                }
            }
        }
        if has || !cur.is_empty() {
            fields.push(cur);
        }
        Ok(fields)
    }

    /// Expands the `$...` or backquote at `i`: its value (None for a lone `$`) and the
    /// index after it.
    fn dollar(&mut self, chars: &[char], i: usize) -> Result<(Option<String>, usize), Stop> {
        if chars[i] == '`' {
            let end = chars[i + 1..].iter().position(|&x| x == '`').map_or(chars.len(), |e| i + 1 + e);
            let inner: String = chars[i + 1..end.min(chars.len())].iter().collect();
            return Ok((Some(self.substitute(&inner)?), end + 1));
        }
        match chars.get(i + 1) {
            Some('(') if chars.get(i + 2) == Some(&'(') => {
                let end = matching_paren(chars, i + 1).unwrap_or(chars.len() - 1);
                let inner: String = chars[i + 3..end.saturating_sub(1).max(i + 3)].iter().collect();
                Ok((Some(self.arith(&inner).to_string()), end + 1))
            }
            Some('(') => {
                let end = matching_paren(chars, i + 1).unwrap_or(chars.len() - 1);
                let inner: String = chars[i + 2..end].iter().collect();
                Ok((Some(self.substitute(&inner)?), end + 1))
            }
            Some('{') => {
                let end = chars[i..].iter().position(|&x| x == '}').map_or(chars.len(), |e| i + e);
                let inner: String = chars[i + 2..end].iter().collect();
                // ${VAR:-default} and ${VAR-default}
                let value = match inner.split_once(":-").or_else(|| inner.split_once('-')) {
                    Some((name, default)) => {
                        let v = self.var(name);
                        if v.is_empty() {
                            default.to_string()
                        } else {
                            v
                        }
                    }
                    None => match inner.strip_suffix(']').and_then(|x| x.split_once('[')) {
                        // ${NAME[INDEX]}: an array element (the index is arithmetic).
                        Some((name, index)) => {
                            let n = self.arith(index);
                            self.var(&format!("{name}[{n}]"))
                        }
                        None => self.var(&inner),
                    },
                };
                Ok((Some(value), end + 1))
            }
            Some(&c) if c == '?' || c == '$' || c == '#' || c.is_ascii_digit() => Ok((Some(self.var(&c.to_string())), i + 2)),
            Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                let name: String = chars[i + 1..j].iter().collect();
                Ok((Some(self.var(&name)), j))
            }
            _ => Ok((None, i + 1)),
        }
    }

    /// `$(...)`: runs the commands and takes their output, without trailing newlines.
    fn substitute(&mut self, script: &str) -> Result<String, Stop> {
        if self.nesting >= MAX_DEPTH {
            self.emit_err("sh: command substitution nested too deeply\n");
            return Ok(String::new());
        }
        let node = match parse(script) {
            Ok(n) => n,
            Err(e) => {
                self.emit_err(&format!("sh: {e}\n"));
                return Ok(String::new());
            }
        };
        let mut sink = Sink::Buf(String::new());
        let saved = self.vars.clone();
        self.nesting += 1;
        let terminal = std::mem::replace(&mut self.terminal, false);
        let r = self.exec(&node, &mut sink, "");
        self.terminal = terminal;
        self.nesting -= 1;
        self.vars = saved;
        match r {
            Ok(()) | Err(Stop::Exit(_)) => {}
            Err(Stop::Horizon) => return Err(Stop::Horizon),
        }
        let Sink::Buf(out) = sink else { return Ok(String::new()) };
        Ok(out.trim_end_matches('\n').to_string())
    }

    fn arith(&mut self, expr: &str) -> i64 {
        let toks: Vec<String> = {
            let mut out = Vec::new();
            let mut cur = String::new();
            for c in expr.chars() {
                if c.is_ascii_alphanumeric() || c == '_' || c == '$' {
                    cur.push(c);
                } else {
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                    if !c.is_whitespace() {
                        out.push(c.to_string());
                    }
                }
            }
            if !cur.is_empty() {
                out.push(cur);
            }
            out
        };
        let mut pos = 0;
        arith_sum(&toks, &mut pos, &|n: &str| {
            let n = n.trim_start_matches('$');
            n.parse::<i64>().unwrap_or_else(|_| self.var(n).trim().parse().unwrap_or(0))
        })
    }

    // --- execution ---

    fn exec(&mut self, node: &Node, sink: &mut Sink, stdin: &str) -> Result<(), Stop> {
        self.ops += 1;
        if self.ops > MAX_OPS {
            return Err(Stop::Horizon);
        }
        match node {
            Node::List(items) => {
                for n in items {
                    self.exec(n, sink, stdin)?;
                }
            }
            Node::And(a, b) => {
                self.exec(a, sink, stdin)?;
                if self.status == 0 {
                    self.exec(b, sink, stdin)?;
                }
            }
            Node::Or(a, b) => {
                self.exec(a, sink, stdin)?;
                if self.status != 0 {
                    self.exec(b, sink, stdin)?;
                }
            }
            Node::Pipeline(cmds, negate) => {
                let mut input = stdin.to_string();
                for (k, c) in cmds.iter().enumerate() {
                    if k + 1 == cmds.len() {
                        self.exec(c, sink, &input)?;
                    } else {
                        let mut buf = Sink::Buf(String::new());
                        let terminal = std::mem::replace(&mut self.terminal, false);
                        let r = self.exec(c, &mut buf, &input);
                        self.terminal = terminal;
                        r?;
                        input = match buf {
                            Sink::Buf(b) => b,
                            Sink::Log => String::new(),
                        };
                    }
                }
                if *negate {
                    self.status = i32::from(self.status == 0);
                }
            }
            Node::Loop { cond, body, until } => loop {
                if self.past_horizon() {
                    return Err(Stop::Horizon);
                }
                self.exec(cond, sink, stdin)?;
                if (self.status == 0) == *until {
                    self.status = 0;
                    break;
                }
                self.exec(body, sink, stdin)?;
            },
            Node::For { var, items, body } => {
                let mut values = Vec::new();
                for w in items.iter().flatten() {
                    values.extend(self.expand(w)?);
                }
                for v in values {
                    if self.past_horizon() {
                        return Err(Stop::Horizon);
                    }
                    self.vars.insert(var.clone(), v);
                    self.exec(body, sink, stdin)?;
                }
            }
            Node::If { branches, otherwise } => {
                for (c, b) in branches {
                    self.exec(c, sink, stdin)?;
                    if self.status == 0 {
                        return self.exec(b, sink, stdin);
                    }
                }
                self.status = 0;
                if let Some(o) = otherwise {
                    self.exec(o, sink, stdin)?;
                }
            }
            Node::Subshell(body, redirs) => {
                let (vars, cwd) = (self.vars.clone(), self.cwd.clone());
                let group = Node::Group(body.clone(), redirs.clone());
                let r = self.exec(&group, sink, stdin);
                self.vars = vars;
                self.cwd = cwd;
                match r {
                    Err(Stop::Exit(code)) => self.status = code,
                    other => other?,
                }
            }
            Node::Group(body, redirs) => {
                if redirs.is_empty() {
                    self.exec(body, sink, stdin)?;
                } else {
                    let mut buf = Sink::Buf(String::new());
                    let terminal = std::mem::replace(&mut self.terminal, false);
                    let r = self.exec(body, &mut buf, stdin);
                    self.terminal = terminal;
                    r?;
                    let Sink::Buf(out) = buf else { return Ok(()) };
                    self.route(&out, redirs, sink)?;
                }
            }
            Node::Simple { assigns, words, redirs } => {
                let mut argv = Vec::new();
                for w in words {
                    argv.extend(self.expand(w)?);
                }
                let mut values = Vec::new();
                for (k, v) in assigns {
                    if let Some(items) = v.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
                        // An array: NAME[i] for each element; $NAME is the first.
                        let mut elems = Vec::new();
                        for w in items.split_whitespace() {
                            elems.extend(self.expand(w)?);
                        }
                        for (n, e) in elems.iter().enumerate() {
                            values.push((format!("{k}[{n}]"), e.clone()));
                        }
                        values.push((k.clone(), elems.first().cloned().unwrap_or_default()));
                        continue;
                    }
                    let v = self.expand(v)?.join(" ");
                    values.push((k.clone(), v));
                }
                if argv.is_empty() {
                    for (k, v) in values {
                        self.vars.insert(k, v);
                    }
                    self.status = 0;
                    if !redirs.is_empty() {
                        self.route("", redirs, sink)?;
                    }
                    return Ok(());
                }
                let saved: Vec<(String, Option<String>)> =
                    values.iter().map(|(k, _)| (k.clone(), self.vars.get(k).cloned())).collect();
                for (k, v) in values {
                    self.vars.insert(k, v);
                }
                let mut input = stdin.to_string();
                for (fd, op, target) in redirs {
                    if *fd == 0 && *op == "<" {
                        let path = self.expand(target)?.join(" ");
                        input = self.read(&path).unwrap_or_default();
                    }
                }
                let mut out = Sink::Buf(String::new());
                let mut err = String::new();
                let terminal = self.terminal;
                self.terminal &= !redirs.iter().any(|(fd, op, _)| *fd == 1 && matches!(*op, ">" | ">>" | ">&"));
                let r = self.command(&argv, &input, &mut out, &mut err);
                self.terminal = terminal;
                for (k, v) in saved {
                    match v {
                        Some(v) => self.vars.insert(k, v),
                        None => self.vars.remove(&k),
                    };
                }
                let Sink::Buf(out) = out else { return Ok(()) };
                self.route_both(&out, &err, redirs, sink)?;
                r?;
            }
        }
        Ok(())
    }

    fn route(&mut self, out: &str, redirs: &[(u8, &'static str, String)], sink: &mut Sink) -> Result<(), Stop> {
        self.route_both(out, "", redirs, sink)
    }

    /// Sends a command's stdout and stderr where its redirections say.
    fn route_both(&mut self, out: &str, err: &str, redirs: &[(u8, &'static str, String)], sink: &mut Sink) -> Result<(), Stop> {
        // Targets: None = the inherited sink (stdout) or the log (stderr).
        let mut out_to: Option<(String, bool)> = None;
        let mut err_to: Option<(String, bool)> = None;
        let mut err_to_out = false;
        for (fd, op, target) in redirs {
            let t = self.expand(target)?.join(" ");
            match (*fd, *op) {
                (1, ">") | (1, ">>") => {
                    if t == "/dev/stdout+2" {
                        err_to_out = true;
                    } else {
                        out_to = Some((t, *op == ">>"));
                    }
                }
                (2, ">") | (2, ">>") => err_to = Some((t, *op == ">>")),
                (2, ">&") if t == "1" => {
                    err_to_out = true;
                    err_to = out_to.clone();
                }
                (1, ">&") if t == "2" => out_to = Some(("/dev/stderr".into(), false)),
                _ => {}
            }
        }
        let mut stdout_text = out.to_string();
        if err_to_out && err_to.is_none() {
            stdout_text.push_str(err);
        }
        match &out_to {
            Some((path, _)) if path == "/dev/stderr" => self.emit_err(&stdout_text),
            Some((path, append)) => {
                let (p, a) = (path.clone(), *append);
                self.write(&p, &stdout_text, a);
            }
            None => self.emit(sink, &stdout_text),
        }
        if !err_to_out || err_to.is_some() {
            match &err_to {
                Some((path, append)) => {
                    let (p, a) = (path.clone(), *append);
                    self.write(&p, err, a);
                }
                None if !err.is_empty() => self.emit_err(err),
                None => {}
            }
        }
        Ok(())
    }

    fn sleep(&mut self, arg: Option<&str>) -> Result<(), Stop> {
        let a = arg.unwrap_or("");
        if a == "infinity" {
            self.t = u64::MAX / 4;
            return Err(Stop::Horizon);
        }
        let (num, mul) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1000.0),
            Some('m') => (&a[..a.len() - 1], 60_000.0),
            Some('h') => (&a[..a.len() - 1], 3_600_000.0),
            Some('d') => (&a[..a.len() - 1], 86_400_000.0),
            _ => (a, 1000.0),
        };
        let ms = num.parse::<f64>().map_or(0.0, |n| (n * mul).max(0.0));
        self.t = self.t.saturating_add(ms as u64);
        Ok(())
    }

    fn date(&self, fmt: Option<&str>) -> String {
        let unix = self.ctx.start_unix_ms + i64::try_from(self.t).unwrap_or(0);
        let ts = k8s_openapi::jiff::Timestamp::from_millisecond(unix).unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH);
        let f = fmt.and_then(|f| f.strip_prefix('+')).unwrap_or("%a %b %e %H:%M:%S UTC %Y");
        ts.strftime(f).to_string()
    }

    /// Runs one command; its output goes to `out`, its errors to `err`.
    fn command(&mut self, argv: &[String], stdin: &str, out: &mut Sink, err: &mut String) -> Result<(), Stop> {
        let name = strip_path(&argv[0]).to_string();
        let args = &argv[1..];
        let mut status = 0;
        let text: String = match name.as_str() {
            "echo" => {
                let mut newline = true;
                let mut escapes = self.ctx.dash;
                let mut k = 0;
                while k < args.len()
                    && args[k].starts_with('-')
                    && args[k].len() > 1
                    && args[k][1..].chars().all(|c| "neE".contains(c))
                {
                    for c in args[k][1..].chars() {
                        match c {
                            'n' => newline = false,
                            'e' => escapes = true,
                            _ => escapes = self.ctx.dash,
                        }
                    }
                    k += 1;
                }
                let mut s = args[k..].join(" ");
                if escapes {
                    let (e, stop) = unescape(&s);
                    s = e;
                    if stop {
                        newline = false;
                    }
                }
                if newline {
                    s.push('\n');
                }
                s
            }
            "printf" => match args.split_first() {
                Some((fmt, rest)) => printf(fmt, rest),
                None => {
                    err.push_str("printf: usage: printf FORMAT [ARGUMENT...]\n");
                    status = 1;
                    String::new()
                }
            },
            "sleep" => {
                self.status = 0;
                self.sleep(args.first().map(String::as_str))?;
                String::new()
            }
            "exit" => {
                let code = args.first().and_then(|c| c.parse::<i32>().ok()).unwrap_or(self.status);
                return Err(Stop::Exit(code & 0xff));
            }
            "exec" if !args.is_empty() => {
                let r = self.command(args, stdin, out, err);
                r?;
                return Err(Stop::Exit(self.status));
            }
            "true" | ":" | "set" | "export" | "readonly" | "trap" | "ulimit" | "umask" | "wait" | "sync" => String::new(),
            "false" => {
                status = 1;
                String::new()
            }
            "kill" => {
                // Only PID 1 (the container's main process) and the shell itself exist here.
                // `kill -9`/`-KILL`/`-s KILL` sends SIGKILL, anything else SIGTERM here.
                let signal = args
                    .windows(2)
                    .find(|w| w[0] == "-s")
                    .map(|w| w[1].as_str())
                    .or_else(|| args.iter().find(|a| a.starts_with('-') && a.len() > 1).map(|a| &a[1..]))
                    .map(|s| s.trim_start_matches("SIG").to_ascii_uppercase())
                    .map(|s| match s.as_str() {
                        "1" => "HUP".to_string(),
                        "2" => "INT".to_string(),
                        "3" => "QUIT".to_string(),
                        "9" => "KILL".to_string(),
                        "15" => "TERM".to_string(),
                        _ => s,
                    })
                    .unwrap_or_else(|| "TERM".to_string());
                let sigkill = signal == "KILL";
                let pids: Vec<&String> = args
                    .iter()
                    .enumerate()
                    .filter(|(k, a)| !a.starts_with('-') && (*k == 0 || args[k - 1] != "-s"))
                    .map(|(_, a)| a)
                    .collect();
                for pid in pids {
                    if let Some(done) = pid.parse::<u32>().ok().and_then(|n| self.host.kill_pid(n, &signal)) {
                        if let Err(e) = done {
                            err.push_str(&format!("sh: kill: {e}\n"));
                            status = 1;
                        }
                        continue;
                    }
                    match pid.as_str() {
                        "1" if self.stderr.is_none() => return Err(Stop::Exit(143)),
                        "1" => {
                            if let Err(e) = self.host.kill_main(sigkill) {
                                err.push_str(&format!("sh: kill: {e}\n"));
                                status = 1;
                            }
                        }
                        p => {
                            err.push_str(&format!("sh: kill: can't kill pid {p}: No such process\n"));
                            status = 1;
                        }
                    }
                }
                String::new()
            }
            "unset" => {
                for a in args {
                    self.vars.remove(a);
                }
                String::new()
            }
            "cd" => {
                let dir = args.first().cloned().unwrap_or_else(|| self.var("HOME"));
                let target = self.abs(&dir);
                if self.list(&target).is_none()
                    && target != "/"
                    && !["/tmp", "/root", "/home", "/etc", "/var", "/usr"].contains(&target.as_str())
                {
                    if target == "/proc" || target.starts_with("/proc/") {
                        err.push_str(&format!("kubeplay: cd: {dir}: /proc is not simulated\n"));
                    } else {
                        err.push_str(&format!("sh: cd: can't cd to {dir}: No such file or directory\n"));
                    }
                    status = 2;
                } else {
                    self.cwd = target;
                }
                String::new()
            }
            "pwd" => format!("{}\n", self.cwd),
            "date" => format!("{}\n", self.date(args.iter().find(|a| a.starts_with('+')).map(String::as_str))),
            "hostname" => {
                // busybox hostname: -f/-d/-i resolve the name through /etc/hosts.
                let short = self.var("HOSTNAME");
                let hosts = self.read("/etc/hosts").unwrap_or_default();
                let entry = hosts.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
                    let words: Vec<&str> = l.split_whitespace().collect();
                    words
                        .get(1..)
                        .unwrap_or(&[])
                        .iter()
                        .any(|w| *w == short || w.starts_with(&format!("{short}.")))
                        .then(|| (words[0].to_string(), words.get(1).map_or(short.clone(), |w| w.to_string())))
                });
                let (ip, fqdn) = entry.unwrap_or_else(|| (String::new(), short.clone()));
                match args.first().map(String::as_str) {
                    Some("-f") => format!("{fqdn}\n"),
                    Some("-d") => format!("{}\n", fqdn.split_once('.').map_or("", |(_, d)| d)),
                    Some("-i") => format!("{ip}\n"),
                    Some("-s") => format!("{}\n", short.split('.').next().unwrap_or("")),
                    _ => format!("{short}\n"),
                }
            }
            "whoami" => match self.ctx.user.whoami() {
                Ok(s) => s,
                Err(e) => {
                    err.push_str(&e);
                    status = 1;
                    String::new()
                }
            },
            "id" => self.ctx.user.id_line(),
            "uname" => {
                if args.iter().any(|a| a == "-a") {
                    format!("Linux {} 6.8.0 #1 SMP x86_64 GNU/Linux\n", self.var("HOSTNAME"))
                } else {
                    "Linux\n".into()
                }
            }
            "env" | "printenv" if args.is_empty() => crate::images::environ(&self.vars),
            "printenv" => {
                let mut s = String::new();
                for k in args {
                    match self.vars.get(k) {
                        Some(v) => s.push_str(&format!("{v}\n")),
                        None => status = 1,
                    }
                }
                s
            }
            "cat" => {
                let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') || a.as_str() == "-").collect();
                if files.is_empty() {
                    stdin.to_string()
                } else {
                    let mut s = String::new();
                    for f in files {
                        if f == "-" {
                            s.push_str(stdin);
                            continue;
                        }
                        match self.read(f) {
                            Some(t) => s.push_str(&t),
                            None if self.list(f).is_some() => {
                                err.push_str("cat: read error: Is a directory\n");
                                status = 1;
                            }
                            None => {
                                err.push_str(&self.unreadable("cat", f));
                                status = 1;
                            }
                        }
                    }
                    s
                }
            }
            "ls" => {
                let flags: String =
                    args.iter().filter(|a| a.starts_with('-') && !a.starts_with("--") && a.len() > 1).map(|a| &a[1..]).collect();
                let (all, almost) = (flags.contains('a'), flags.contains('A'));
                let (long, numeric, itself) =
                    (flags.contains('l') || flags.contains('n'), flags.contains('n'), flags.contains('d'));
                let dirs: Vec<String> = args.iter().filter(|a| !a.starts_with('-') || a.as_str() == "-").cloned().collect();
                let dirs = if dirs.is_empty() { vec![".".to_string()] } else { dirs };
                let mut s = String::new();
                let many = dirs.len() > 1;
                // As both ls do: errors first, then the operands that are not listed as
                // directories (in one aligned block), then each directory's listing.
                let mut files: Vec<(String, crate::files::Stat)> = Vec::new();
                let mut listings: Vec<(String, Vec<String>)> = Vec::new();
                for d in &dirs {
                    match (if itself { None } else { self.list(d) }, self.stat(d)) {
                        (Some(names), _) => listings.push((d.clone(), names)),
                        (None, Some(st)) => files.push((d.clone(), st)),
                        // GNU coreutils (dash images) and busybox word it apart.
                        (None, None) if self.ctx.dash => {
                            err.push_str(&format!("ls: cannot access '{d}': No such file or directory\n"));
                            status = 2;
                        }
                        (None, None) => {
                            err.push_str(&format!("ls: {d}: No such file or directory\n"));
                            status = 1;
                        }
                    }
                }
                files.sort_by(|a, b| a.0.cmp(&b.0));
                listings.sort_by(|a, b| a.0.cmp(&b.0));
                if long && !files.is_empty() {
                    s.push_str(&self.long_listing(&files, numeric, false));
                } else {
                    s.extend(files.iter().map(|(d, _)| format!("{d}\n")));
                }
                for (k, (d, mut names)) in listings.into_iter().enumerate() {
                    if !all && !almost {
                        names.retain(|n| !n.starts_with('.'));
                    }
                    if all {
                        names.splice(0..0, [".".to_string(), "..".to_string()]);
                    }
                    if many {
                        s.push_str(&format!("{}{d}:\n", if k > 0 || !files.is_empty() { "\n" } else { "" }));
                    }
                    if long {
                        let dir = self.abs(&d);
                        let epoch = crate::world::EPOCH_UNIX_MS;
                        let rows: Vec<(String, crate::files::Stat)> = names
                            .into_iter()
                            .map(|n| {
                                let path = match n.as_str() {
                                    "." => dir.clone(),
                                    ".." => match dir.rsplit_once('/') {
                                        Some((p, _)) if !p.is_empty() => p.to_string(),
                                        _ => "/".to_string(),
                                    },
                                    _ => format!("{}/{n}", dir.trim_end_matches('/')),
                                };
                                // An entry the listing has but the host cannot describe (the
                                // mount point of a volume kubeplay does not simulate): root's
                                // directory.
                                let st = self
                                    .stat(&path)
                                    .unwrap_or_else(|| crate::files::Stat::image(crate::files::StatKind::Dir, 4096, epoch));
                                (n, st)
                            })
                            .collect();
                        s.push_str(&self.long_listing(&rows, numeric, true));
                    } else if self.terminal && !flags.contains('1') {
                        s.push_str(&columns(&names, self.ctx.dash));
                    } else {
                        for n in names {
                            s.push_str(&n);
                            s.push('\n');
                        }
                    }
                    if self.host.partial(&self.abs(&d)) {
                        err.push_str(&crate::files::partial_note(&self.abs(&d)));
                    }
                }
                s
            }
            "touch" => {
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    if self.read(f).is_none() {
                        self.write(f, "", true);
                    } else {
                        let p = self.abs(f);
                        self.files.push((self.t, p, true));
                    }
                }
                String::new()
            }
            "rm" => {
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.abs(f);
                    if self.read(&p).is_none() && !force {
                        err.push_str(&format!("rm: can't remove '{f}': No such file or directory\n"));
                        status = 1;
                    }
                    self.log_write(&p, None);
                    self.overlay.insert(p.clone(), None);
                    self.files.push((self.t, p, false));
                }
                String::new()
            }
            "mkdir" | "chmod" | "chown" | "ln" => String::new(),
            "cp" | "mv" if args.iter().filter(|a| !a.starts_with('-')).count() == 2 => {
                let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                match self.read(paths[0]) {
                    Some(t) => {
                        let dest = if self.list(paths[1]).is_some() {
                            format!("{}/{}", paths[1], paths[0].rsplit('/').next().unwrap_or(paths[0]))
                        } else {
                            paths[1].clone()
                        };
                        self.write(&dest, &t, false);
                        if name == "mv" {
                            let p = self.abs(paths[0]);
                            self.overlay.insert(p.clone(), None);
                            self.files.push((self.t, p, false));
                        }
                    }
                    None => {
                        err.push_str(&format!("{name}: can't stat '{}': No such file or directory\n", paths[0]));
                        status = 1;
                    }
                }
                String::new()
            }
            "test" | "[" | "[[" => {
                let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
                if (name == "[" && a.last() == Some(&"]")) || (name == "[[" && a.last() == Some(&"]]")) {
                    a.pop();
                }
                status = if self.test(&a) { 0 } else { 1 };
                String::new()
            }
            "grep" => {
                let (mut invert, mut count, mut quiet, mut icase, mut extended) = (false, false, false, false, false);
                let mut rest = Vec::new();
                for a in args {
                    if a.starts_with('-') && a.len() > 1 && rest.is_empty() {
                        invert |= a.contains('v');
                        count |= a.contains('c');
                        quiet |= a.contains('q');
                        icase |= a.contains('i');
                        extended |= a.contains('E');
                    } else {
                        rest.push(a.clone());
                    }
                }
                let Some(pat) = rest.first().cloned() else {
                    err.push_str("BusyBox v1.37.0 multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n");
                    self.status = 2;
                    return Ok(());
                };
                let input = match rest.get(1) {
                    Some(f) => match self.read(f) {
                        Some(t) => t,
                        None => {
                            err.push_str(&self.unreadable("grep", f));
                            self.status = 2;
                            return Ok(());
                        }
                    },
                    None => stdin.to_string(),
                };
                let pattern = match GrepPattern::new(&pat, icase, extended, false) {
                    Ok(p) => p,
                    Err(e) => {
                        err.push_str(&format!("grep: {e}\n"));
                        self.status = 2;
                        return Ok(());
                    }
                };
                let hits: Vec<&str> = input.lines().filter(|l| pattern.matches(l) != invert).collect();
                status = if hits.is_empty() { 1 } else { 0 };
                if quiet {
                    String::new()
                } else if count {
                    format!("{}\n", hits.len())
                } else {
                    hits.iter().map(|l| format!("{l}\n")).collect()
                }
            }
            "head" | "tail" => {
                let mut n: usize = 10;
                // `tail -n +K`: from line K on, rather than the last K.
                let mut from: Option<usize> = None;
                let mut file = None;
                // `tail -f` follows the file; `-F` (`--follow=name --retry`) also waits for
                // one that does not exist yet.
                let (mut follow, mut retry) = (false, false);
                let mut k = 0;
                while k < args.len() {
                    let a = &args[k];
                    let count = if a == "-n" {
                        k += 1;
                        args.get(k).map(String::as_str)
                    } else {
                        a.strip_prefix("-n").filter(|v| !v.is_empty())
                    };
                    if let Some(v) = count {
                        match v.strip_prefix('+') {
                            Some(f) if name == "tail" => from = f.parse().ok(),
                            _ => n = v.trim_start_matches('+').parse().unwrap_or(10),
                        }
                    } else if let Some(v) = a.strip_prefix('-').and_then(|v| v.parse().ok()) {
                        n = v;
                    } else if name == "tail" && (a == "-f" || a == "--follow") {
                        follow = true;
                    } else if name == "tail" && (a == "-F" || a == "--follow=name") {
                        (follow, retry) = (true, true);
                    } else if name == "tail" && a == "--retry" {
                        retry = true;
                    } else {
                        file = Some(a.clone());
                    }
                    k += 1;
                }
                let input = match &file {
                    Some(f) => match self.read(f) {
                        Some(t) => t,
                        None => {
                            err.push_str(&self.unreadable(&name, f));
                            if follow && retry {
                                // It keeps looking for the file, and never returns.
                                self.emit_err(&std::mem::take(err));
                                self.follows = Some((self.abs(f), 0, self.t));
                                self.t = u64::MAX / 4;
                                return Err(Stop::Horizon);
                            }
                            self.status = 1;
                            return Ok(());
                        }
                    },
                    None => stdin.to_string(),
                };
                let lines: Vec<&str> = input.lines().collect();
                let pick: Vec<&str> = if name == "head" {
                    lines.iter().take(n).copied().collect()
                } else if let Some(f) = from {
                    lines.iter().skip(f.saturating_sub(1)).copied().collect()
                } else {
                    lines.iter().skip(lines.len().saturating_sub(n)).copied().collect()
                };
                let text: String = pick.iter().map(|l| format!("{l}\n")).collect();
                if follow {
                    // The last lines, then it waits for more and never returns: what other
                    // containers append later is added to its log (`kubelet::logs_timed`).
                    // (The time stays: the caller writes the output out at the current time.)
                    self.emit(out, &text);
                    self.follows = file.as_deref().map(|f| (self.abs(f), lines.len(), self.t));
                    return Err(Stop::Horizon);
                }
                text
            }
            "wc" => {
                let file = args.iter().find(|a| !a.starts_with('-'));
                let input = match file {
                    Some(f) => self.read(f),
                    None => Some(stdin.to_string()),
                };
                let input = input.unwrap_or_default();
                let (l, w, c) = (input.lines().count(), input.split_whitespace().count(), input.len());
                // With a file, wc names it after the counts.
                let name = file.map(|f| format!(" {f}")).unwrap_or_default();
                if let Some(f) = file.filter(|f| self.read(f).is_none()) {
                    err.push_str(&self.unreadable("wc", f));
                    status = 1;
                    String::new()
                } else if args.iter().any(|a| a == "-l") {
                    format!("{l}{name}\n")
                } else if args.iter().any(|a| a == "-w") {
                    format!("{w}{name}\n")
                } else if args.iter().any(|a| a == "-c") {
                    format!("{c}{name}\n")
                } else {
                    format!("{l:>9} {w:>9} {c:>9}{name}\n")
                }
            }
            "rev" => {
                let file = args.iter().find(|a| !a.starts_with('-'));
                match file.map(|f| (f, self.read(f))) {
                    Some((f, None)) => {
                        err.push_str(&format!("rev: {f}: No such file or directory\n"));
                        status = 1;
                        String::new()
                    }
                    Some((_, Some(text))) => text.lines().map(|l| format!("{}\n", l.chars().rev().collect::<String>())).collect(),
                    None => stdin.lines().map(|l| format!("{}\n", l.chars().rev().collect::<String>())).collect(),
                }
            }
            "sort" => {
                let mut lines: Vec<&str> = stdin.lines().collect();
                lines.sort_unstable();
                if args.iter().any(|a| a == "-r") {
                    lines.reverse();
                }
                lines.iter().map(|l| format!("{l}\n")).collect()
            }
            "tr" if args.len() >= 2 && args[0] != "-d" => {
                let (from, to): (Vec<char>, Vec<char>) = (tr_set(&args[0]), tr_set(&args[1]));
                stdin
                    .chars()
                    .map(|c| from.iter().position(|f| *f == c).map_or(c, |i| *to.get(i).or(to.last()).unwrap_or(&c)))
                    .collect()
            }
            "tr" if args.len() >= 2 => {
                let del = tr_set(&args[1]);
                stdin.chars().filter(|c| !del.contains(c)).collect()
            }
            "cut" | "uniq" | "sed" | "awk" => match text_tool(&name, args, stdin) {
                Ok(t) => t,
                Err(e) => {
                    err.push_str(&e);
                    status = 1;
                    String::new()
                }
            },
            "seq" => {
                let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
                let (a, b) = match nums.as_slice() {
                    [n] => (1, *n),
                    [a, b, ..] => (*a, *b),
                    _ => (1, 0),
                };
                (a..=b.min(a.saturating_add(10_000))).map(|i| format!("{i}\n")).collect()
            }
            "expr" => {
                let v = self.arith(&args.join(" "));
                status = i32::from(v == 0);
                format!("{v}\n")
            }
            "base64" => {
                if args.iter().any(|a| a == "-d" || a == "--decode") {
                    match base64_decode(stdin.trim()) {
                        Some(b) => String::from_utf8_lossy(&b).into_owned(),
                        None => {
                            err.push_str("base64: invalid input\n");
                            status = 1;
                            String::new()
                        }
                    }
                } else {
                    format!("{}\n", base64_encode(stdin.as_bytes()))
                }
            }
            "read" => {
                if let Some(var) = args.iter().find(|a| !a.starts_with('-')) {
                    self.vars.insert(var.clone(), stdin.lines().next().unwrap_or("").to_string());
                }
                status = i32::from(stdin.is_empty());
                String::new()
            }
            // nginx's command-line switches run beside the server and print on stderr.
            "nginx" if args.first().is_some_and(|a| matches!(a.as_str(), "-v" | "-t" | "-s")) => {
                let conf = "/etc/nginx/nginx.conf";
                match args[0].as_str() {
                    "-v" => {
                        err.push_str(&format!("nginx version: nginx/{}\n", crate::images::nginx_version(self.host.image_tag())))
                    }
                    "-t" => err.push_str(&format!(
                        "nginx: the configuration file {conf} syntax is ok\nnginx: configuration file {conf} test is successful\n"
                    )),
                    _ => {
                        let unix_ms = self.ctx.start_unix_ms.saturating_add(i64::try_from(self.t).unwrap_or(0));
                        let at = k8s_openapi::jiff::Timestamp::from_millisecond(unix_ms)
                            .map(|t| t.strftime("%Y/%m/%d %H:%M:%S").to_string())
                            .unwrap_or_default();
                        err.push_str(&format!("{at} [notice] 40#40: signal process started\n"));
                    }
                }
                String::new()
            }
            "nginx" | "httpd" | "httpd-foreground" => {
                // The server in the foreground: it runs until stopped.
                self.t = u64::MAX / 4;
                return Err(Stop::Horizon);
            }
            "sh" | "bash" | "ash" | "dash" if args.first().is_some_and(|a| a == "-c") => {
                let script = args.get(1).cloned().unwrap_or_default();
                match parse(&script) {
                    Ok(_) if self.nesting >= MAX_DEPTH => {
                        err.push_str("sh: nested too deeply\n");
                        status = 2;
                        String::new()
                    }
                    Ok(node) => {
                        self.nesting += 1;
                        let r = self.exec(&node, out, stdin);
                        self.nesting -= 1;
                        match r {
                            Err(Stop::Exit(c)) => self.status = c,
                            other => other?,
                        }
                        return Ok(());
                    }
                    Err(e) => {
                        err.push_str(&format!("sh: {e}\n"));
                        status = 2;
                        String::new()
                    }
                }
            }
            "wget" if self.host.has_wget() => {
                let (text, code) = self.wget(args, err);
                status = code;
                text
            }
            other => match self.host.external(argv, stdin) {
                Some((o, e, code)) => {
                    self.asked_cluster = true;
                    err.push_str(&e);
                    status = code;
                    o
                }
                None if NOT_SIMULATED.contains(&other) => {
                    err.push_str(&format!(
                        "kubeplay: `{other}` is not simulated in a container's own command; run it with kubectl exec\n"
                    ));
                    status = 127;
                    String::new()
                }
                None if UNSIMULATED_TOOLS.contains(&other) => {
                    err.push_str(&format!("kubeplay: `{other}` is not simulated\n"));
                    status = 127;
                    String::new()
                }
                None => {
                    err.push_str(&format!("sh: {other}: not found\n"));
                    self.not_found.get_or_insert_with(|| other.to_string());
                    status = 127;
                    String::new()
                }
            },
        };
        self.emit(out, &text);
        self.status = status;
        Ok(())
    }

    fn test(&self, a: &[&str]) -> bool {
        match a {
            [] => false,
            ["!", rest @ ..] => !self.test(rest),
            [x] => !x.is_empty(),
            ["-n", x] => !x.is_empty(),
            ["-z", x] => x.is_empty(),
            ["-e" | "-f" | "-r" | "-s", p] => {
                self.read(p).is_some_and(|t| a[0] != "-s" || !t.is_empty()) || (a[0] == "-e" && self.list(p).is_some())
            }
            ["-d", p] => self.list(p).is_some(),
            [l, "=" | "==", r] => l == r,
            [l, "!=", r] => l != r,
            [l, op, r] => {
                let (Ok(l), Ok(r)) = (l.trim().parse::<i64>(), r.trim().parse::<i64>()) else { return false };
                match *op {
                    "-eq" => l == r,
                    "-ne" => l != r,
                    "-lt" => l < r,
                    "-le" => l <= r,
                    "-gt" => l > r,
                    "-ge" => l >= r,
                    _ => false,
                }
            }
            [l, "-a", r @ ..] => self.test(&[l]) && self.test(r),
            _ => false,
        }
    }
}

/// A grep pattern: a POSIX basic (the default) or extended (`-E`) regular expression, or a
/// The line filters `cut`, `uniq`, `sed` and `awk` over `input`, in the forms tutorials
/// use: `cut -d D -f LIST` and `-c LIST`; `uniq [-c]`; `sed [-n] [-e] 's/RE/TEXT/[g]'`,
/// `Np`, `N,Mp`, `Nd`, `/RE/p`, `/RE/d`; `awk [-F SEP] '[/RE/ | NR==N] {print $N, ...}'`.
/// Anything else is an error naming what is simulated.
fn text_tool(tool: &str, args: &[String], input: &str) -> Result<String, String> {
    let lines: Vec<&str> = input.lines().collect();
    let unsupported = |what: &str| Err(format!("{tool}: kubeplay simulates {what}, not `{tool} {}`\n", args.join(" ")));
    match tool {
        "cut" => {
            let (mut delim, mut fields, mut chars) = ('\t', None, None);
            let mut i = 0;
            while i < args.len() {
                let a = args[i].as_str();
                let mut value = |flag: &str| -> Option<String> {
                    if a == flag {
                        i += 1;
                        args.get(i).cloned()
                    } else {
                        a.strip_prefix(flag).map(String::from)
                    }
                };
                if let Some(d) = value("-d") {
                    delim = d.chars().next().unwrap_or('\t');
                } else if let Some(f) = value("-f") {
                    fields = Some(f);
                } else if let Some(c) = value("-c") {
                    chars = Some(c);
                } else {
                    return unsupported("`cut -d D -f LIST` and `cut -c LIST`");
                }
                i += 1;
            }
            let picks = |list: &str, n: usize| -> Vec<usize> {
                let mut out = Vec::new();
                for part in list.split(',') {
                    let (a, b) = match part.split_once('-') {
                        Some((a, b)) => (a.parse().unwrap_or(1), if b.is_empty() { n } else { b.parse().unwrap_or(n) }),
                        None => {
                            let v = part.parse().unwrap_or(0);
                            (v, v)
                        }
                    };
                    out.extend((a.max(1)..=b.min(n)).map(|k| k - 1));
                }
                out.sort_unstable();
                out.dedup();
                out
            };
            let mut out = String::new();
            for l in &lines {
                if let Some(c) = &chars {
                    let cs: Vec<char> = l.chars().collect();
                    out.extend(picks(c, cs.len()).into_iter().map(|k| cs[k]));
                } else if let Some(f) = &fields {
                    let parts: Vec<&str> = l.split(delim).collect();
                    if parts.len() == 1 {
                        // A line without the delimiter is printed whole.
                        out.push_str(l);
                    } else {
                        let chosen: Vec<&str> = picks(f, parts.len()).into_iter().map(|k| parts[k]).collect();
                        out.push_str(&chosen.join(&delim.to_string()));
                    }
                } else {
                    return Err("cut: you must specify a list of bytes, characters, or fields\n".into());
                }
                out.push('\n');
            }
            Ok(out)
        }
        "uniq" => {
            let count = args.iter().any(|a| a == "-c");
            if args.iter().any(|a| a != "-c") {
                return unsupported("`uniq` and `uniq -c`");
            }
            let mut out = String::new();
            let mut k = 0;
            while k < lines.len() {
                let n = lines[k..].iter().take_while(|l| **l == lines[k]).count();
                if count {
                    out.push_str(&format!("{n:>7} {}\n", lines[k]));
                } else {
                    out.push_str(&format!("{}\n", lines[k]));
                }
                k += n;
            }
            Ok(out)
        }
        "sed" => {
            let quiet = args.iter().any(|a| a == "-n");
            let scripts: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            let [script] = scripts.as_slice() else { return unsupported("one sed command") };
            let sed = SedCommand::parse(script)
                .ok_or_else(|| format!("sed: kubeplay simulates s/RE/TEXT/[g] and [ADDR[,ADDR]]p|d, not `{script}`\n"))?;
            Ok(sed.run(&lines, quiet))
        }
        _ => {
            // awk [-F SEP] 'PATTERN {print $N, ...}'
            let mut sep: Option<String> = None;
            let mut program = None;
            let mut i = 0;
            while i < args.len() {
                let a = &args[i];
                if a == "-F" {
                    i += 1;
                    sep = args.get(i).cloned();
                } else if let Some(f) = a.strip_prefix("-F") {
                    sep = Some(f.to_string());
                } else if program.is_none() {
                    program = Some(a.clone());
                } else {
                    return unsupported("`awk [-F SEP] '[/RE/|NR==N] {print $N, ...}'` over standard input");
                }
                i += 1;
            }
            let program = program.unwrap_or_default();
            let Some((pattern, action)) = program.split_once('{') else { return unsupported("`awk '{print ...}'`") };
            let action = action.trim().trim_end_matches('}').trim();
            let Some(items) = action.strip_prefix("print") else { return unsupported("`awk '{print ...}'`") };
            let items: Vec<String> = items.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
            let pattern = pattern.trim();
            let re = match pattern.strip_prefix('/').and_then(|p| p.strip_suffix('/')) {
                Some(p) => Some(GrepPattern::new(p, false, true, false).map_err(|e| format!("awk: {e}\n"))?),
                None => None,
            };
            let nr: Option<usize> = pattern.strip_prefix("NR==").and_then(|n| n.trim().parse().ok());
            if !pattern.is_empty() && re.is_none() && nr.is_none() {
                return unsupported("the patterns /RE/ and NR==N");
            }
            let mut out = String::new();
            for (n, l) in lines.iter().enumerate() {
                if nr.is_some_and(|want| want != n + 1) || re.as_ref().is_some_and(|r| !r.matches(l)) {
                    continue;
                }
                let fields: Vec<&str> = match &sep {
                    Some(s) if !s.is_empty() && s != " " => l.split(s.as_str()).collect(),
                    _ => l.split_whitespace().collect(),
                };
                let shown: Vec<String> = if items.is_empty() {
                    vec![l.to_string()]
                } else {
                    items
                        .iter()
                        .map(|it| match it.strip_prefix('$').and_then(|k| k.parse::<usize>().ok()) {
                            Some(0) => l.to_string(),
                            Some(k) => fields.get(k - 1).map(|f| f.to_string()).unwrap_or_default(),
                            None if it == "$NF" => fields.last().map(|f| f.to_string()).unwrap_or_default(),
                            None if it == "NR" => (n + 1).to_string(),
                            None => it.trim_matches('"').to_string(),
                        })
                        .collect()
                };
                out.push_str(&format!("{}\n", shown.join(" ")));
            }
            Ok(out)
        }
    }
}

/// One sed command: `s/RE/TEXT/[g]`, `[ADDR]p`, `[ADDR]d`; ADDR is `N`, `$`, `/RE/` or a
/// range of two of them (`N,M`, `/A/,/B/`).
enum SedCommand {
    Subst { re: regex_lite::Regex, with: String, global: bool },
    Print(Option<SedRange>),
    Delete(Option<SedRange>),
}

enum SedAddr {
    Line(usize),
    Last,
    Match(GrepPattern),
}

struct SedRange {
    from: SedAddr,
    to: Option<SedAddr>,
}

/// Splits `s/a/b/g` on its delimiter, where `\/` is the delimiter itself.
fn split_sed(rest: &str, d: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) if n == d => parts.last_mut().map_or((), |p| p.push(n)),
                Some(n) => parts.last_mut().map_or((), |p| {
                    p.push('\\');
                    p.push(n)
                }),
                None => {}
            },
            c if c == d => parts.push(String::new()),
            c => parts.last_mut().map_or((), |p| p.push(c)),
        }
    }
    parts
}

impl SedAddr {
    fn parse(a: &str) -> Option<SedAddr> {
        if a == "$" {
            Some(SedAddr::Last)
        } else if let Some(p) = a.strip_prefix('/').and_then(|x| x.strip_suffix('/')) {
            Some(SedAddr::Match(GrepPattern::new(p, false, false, false).ok()?))
        } else {
            a.parse().ok().map(SedAddr::Line)
        }
    }

    fn hit(&self, n: usize, last: bool, line: &str) -> bool {
        match self {
            SedAddr::Line(k) => *k == n,
            SedAddr::Last => last,
            SedAddr::Match(re) => re.matches(line),
        }
    }
}

impl SedCommand {
    fn parse(script: &str) -> Option<SedCommand> {
        if let Some(rest) = script.strip_prefix('s') {
            let d = rest.chars().next()?;
            let parts = split_sed(&rest[d.len_utf8()..], d);
            let [re, with, flags] = parts.as_slice() else { return None };
            let re = regex_lite::Regex::new(&basic_to_extended(re)).ok()?;
            // sed's `&` and `\1` in the replacement; regex-lite's are `${0}` and `${1}`.
            let mut w = String::new();
            let mut chars = with.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '&' => w.push_str("${0}"),
                    '\\' if chars.peek().is_some_and(char::is_ascii_digit) => w.push_str(&format!("${{{}}}", chars.next()?)),
                    '\\' => w.push(chars.next()?),
                    '$' => w.push_str("$$"),
                    c => w.push(c),
                }
            }
            return Some(SedCommand::Subst { re, with: w, global: flags.contains('g') });
        }
        // The command is the last character (byte-safe for any script).
        let (k, _) = script.char_indices().last()?;
        let (addr, cmd) = script.split_at(k);
        let range = if addr.is_empty() {
            None
        } else {
            // The comma between two addresses (not one inside a /RE/).
            let (mut in_re, mut prev) = (false, ' ');
            let comma = addr.char_indices().find(|(_, c)| {
                if *c == '/' && prev != '\\' {
                    in_re = !in_re;
                }
                prev = *c;
                *c == ',' && !in_re
            });
            Some(match comma {
                Some((k, _)) => SedRange { from: SedAddr::parse(&addr[..k])?, to: Some(SedAddr::parse(&addr[k + 1..])?) },
                None => SedRange { from: SedAddr::parse(addr)?, to: None },
            })
        };
        match cmd {
            "p" => Some(SedCommand::Print(range)),
            "d" => Some(SedCommand::Delete(range)),
            _ => None,
        }
    }

    /// Runs over all lines: the output, with `quiet` (`-n`) printing only what `p` prints.
    fn run(&self, lines: &[&str], quiet: bool) -> String {
        let mut out = String::new();
        let mut active = false;
        for (k, l) in lines.iter().enumerate() {
            let (n, last) = (k + 1, k + 1 == lines.len());
            let mut selected = |r: &Option<SedRange>| match r {
                None => true,
                Some(SedRange { from, to: None }) => from.hit(n, last, l),
                Some(SedRange { from, to: Some(to) }) => {
                    if active {
                        // A range ends at its second address (a line number ends it there or
                        // at once if already passed).
                        if to.hit(n, last, l) || matches!(to, SedAddr::Line(m) if *m <= n) {
                            active = false;
                        }
                        true
                    } else if from.hit(n, last, l) {
                        active = !matches!(to, SedAddr::Line(m) if *m <= n);
                        true
                    } else {
                        false
                    }
                }
            };
            match self {
                SedCommand::Subst { re, with, global } => {
                    let t = if *global { re.replace_all(l, with.as_str()) } else { re.replace(l, with.as_str()) };
                    if !quiet {
                        out.push_str(&format!("{t}\n"));
                    }
                }
                SedCommand::Print(r) => {
                    let hit = selected(r);
                    if !quiet {
                        out.push_str(&format!("{l}\n"));
                    }
                    if hit {
                        out.push_str(&format!("{l}\n"));
                    }
                }
                SedCommand::Delete(r) => {
                    if !selected(r) && !quiet {
                        out.push_str(&format!("{l}\n"));
                    }
                }
            }
        }
        out
    }
}

/// fixed string (`-F`), as GNU and busybox grep read them (GNU's `\|`, `\+` and `\?` in
/// basic ones too), compiled once with regex-lite.
pub struct GrepPattern(regex_lite::Regex);

impl GrepPattern {
    pub fn new(pat: &str, icase: bool, extended: bool, fixed: bool) -> Result<GrepPattern, String> {
        let body = if fixed {
            regex_lite::escape(pat)
        } else if extended {
            pat.to_string()
        } else {
            basic_to_extended(pat)
        };
        let re = if icase { format!("(?i){body}") } else { body };
        regex_lite::Regex::new(&re).map(GrepPattern).map_err(|e| {
            let e = e.to_string();
            if e.contains("class") {
                "Unmatched [, [^, [:, [., or [=".to_string()
            } else if e.contains("group") {
                "Unmatched ( or \\(".to_string()
            } else {
                "Invalid regular expression".to_string()
            }
        })
    }

    pub fn matches(&self, line: &str) -> bool {
        self.0.is_match(line)
    }
}

/// A basic regular expression in extended syntax: `\(`, `\)`, `\{`, `\}`, `\|`, `\+` and
/// `\?` are the operators, and the bare characters are literal; a leading `*` is literal.
/// Bracket expressions are copied as they are.
fn basic_to_extended(pat: &str) -> String {
    let mut out = String::new();
    let mut chars = pat.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        if in_class {
            out.push(c);
            if c == ']' {
                in_class = false;
            }
            continue;
        }
        match c {
            '\\' => match chars.next() {
                Some(o @ ('(' | ')' | '{' | '}' | '|' | '+' | '?')) => out.push(o),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push_str("\\\\"),
            },
            '(' | ')' | '{' | '}' | '|' | '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            '*' if out.is_empty() || out == "^" => out.push_str("\\*"),
            // In a BRE `$` anchors only at the end of the pattern or of a group or
            // alternative (`\)`, `\|`), and `^` only at their start; elsewhere they are
            // literal characters.
            '$' if chars.peek().is_some() && {
                let mut ahead = chars.clone();
                !(ahead.next() == Some('\\') && matches!(ahead.next(), Some(')' | '|')))
            } =>
            {
                out.push_str("\\$")
            }
            '^' if {
                let group_start = out.ends_with(['(', '|']) && !out.ends_with("\\(") && !out.ends_with("\\|");
                !out.is_empty() && !group_start
            } =>
            {
                out.push_str("\\^")
            }
            '[' => {
                in_class = true;
                out.push(c);
                // `[]...]` and `[^]...]`: a leading `]` is a member.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn tr_set(s: &str) -> Vec<char> {
    match s {
        "[:lower:]" | "a-z" => ('a'..='z').collect(),
        "[:upper:]" | "A-Z" => ('A'..='Z').collect(),
        "[:digit:]" | "0-9" => ('0'..='9').collect(),
        _ => unescape(s).0.chars().collect(),
    }
}

/// Backslash escapes as `echo -e` and `printf` read them; `\c` stops output.
fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('a') => out.push('\u{7}'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('?'));
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// Base64 (standard alphabet, padded), as Secrets store data.
pub fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes padded or unpadded standard base64; `None` for anything else.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    ENGINE.decode(text).ok()
}

/// `printf FORMAT ARGS...`: %s, %d, %b, %%, with the format reused while arguments remain.
fn printf(fmt: &str, args: &[String]) -> String {
    let (fmt, _) = unescape(fmt);
    let mut out = String::new();
    let mut k = 0;
    loop {
        let mut chars = fmt.chars().peekable();
        let mut used = false;
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while let Some(&n) = chars.peek() {
                if n.is_ascii_digit() || n == '-' || n == '.' {
                    spec.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            let arg = args.get(k).cloned().unwrap_or_default();
            match chars.next() {
                Some('%') => out.push('%'),
                Some('s') => {
                    used = true;
                    k += 1;
                    let w: usize = spec.trim_start_matches('-').parse().unwrap_or(0);
                    if spec.starts_with('-') {
                        out.push_str(&format!("{arg:<w$}"));
                    } else {
                        out.push_str(&format!("{arg:>w$}"));
                    }
                }
                Some('d' | 'i') => {
                    used = true;
                    k += 1;
                    out.push_str(&arg.trim().parse::<i64>().unwrap_or(0).to_string());
                }
                Some('b') => {
                    used = true;
                    k += 1;
                    out.push_str(&unescape(&arg).0);
                }
                Some(o) => {
                    out.push('%');
                    out.push(o);
                }
                None => out.push('%'),
            }
        }
        if !used || k >= args.len() {
            break;
        }
    }
    out
}

fn arith_sum(t: &[String], pos: &mut usize, val: &dyn Fn(&str) -> i64) -> i64 {
    let mut v = arith_prod(t, pos, val);
    while let Some(op) = t.get(*pos).map(String::as_str) {
        match op {
            "+" => {
                *pos += 1;
                v = v.wrapping_add(arith_prod(t, pos, val));
            }
            "-" => {
                *pos += 1;
                v = v.wrapping_sub(arith_prod(t, pos, val));
            }
            _ => break,
        }
    }
    v
}

fn arith_prod(t: &[String], pos: &mut usize, val: &dyn Fn(&str) -> i64) -> i64 {
    let mut v = arith_atom(t, pos, val);
    while let Some(op) = t.get(*pos).map(String::as_str) {
        match op {
            "*" => {
                *pos += 1;
                v = v.wrapping_mul(arith_atom(t, pos, val));
            }
            "/" | "%" => {
                *pos += 1;
                let d = arith_atom(t, pos, val);
                v = if d == 0 {
                    0
                } else if op == "/" {
                    v.wrapping_div(d)
                } else {
                    v.wrapping_rem(d)
                };
            }
            _ => break,
        }
    }
    v
}

fn arith_atom(t: &[String], pos: &mut usize, val: &dyn Fn(&str) -> i64) -> i64 {
    let Some(tok) = t.get(*pos).cloned() else { return 0 };
    *pos += 1;
    match tok.as_str() {
        "(" => {
            let v = arith_sum(t, pos, val);
            if t.get(*pos).map(String::as_str) == Some(")") {
                *pos += 1;
            }
            v
        }
        "-" => arith_atom(t, pos, val).wrapping_neg(),
        "+" => arith_atom(t, pos, val),
        other => val(other),
    }
}

/// Runs a container's command line (`words` = command then args) as its shell would, and
/// returns the program it amounts to.
pub fn program(words: &[String], ctx: &Ctx<'_>, host: &mut dyn Host) -> Program {
    let base = Program { ignores_sigterm: true, ..Program::default() };
    // `busybox APPLET ARGS` runs the applet.
    let words = match words {
        [bb, rest @ ..] if strip_path(bb) == "busybox" && !rest.is_empty() => rest,
        _ => words,
    };
    // The words run straight (exec form, no shell): runc must find the program itself.
    let mut direct = false;
    let script = match words {
        [] => return Program { exit: Some((10, 0)), ignores_sigterm: false, ..base },
        // `sh -c SCRIPT`, with options before it (`sh -e -c`, `sh -ec`), or `sh FILE`.
        [sh, rest @ ..] if is_shell(sh) => {
            let opts = rest.iter().take_while(|w| w.starts_with('-') && !w.starts_with("--")).count();
            let with_c = rest[..opts].iter().any(|w| w.contains('c'));
            match (with_c, rest.get(opts)) {
                (true, Some(script)) => script.clone(),
                (true, None) => {
                    return Program { logs: vec![(0, "sh: -c requires an argument".into())], exit: Some((10, 2)), ..base };
                }
                (false, None) => return Program { exit: Some((10, 0)), ignores_sigterm: false, ..base },
                (false, Some(file)) => {
                    let path = if file.starts_with('/') {
                        file.clone()
                    } else {
                        format!("{}/{file}", ctx.workdir.trim_end_matches('/'))
                    };
                    match host.read(&path) {
                        Some(text) => text,
                        None => {
                            let msg = if ctx.dash {
                                format!("sh: 0: cannot open {file}: No such file")
                            } else {
                                format!("sh: can't open '{file}': No such file or directory")
                            };
                            return Program { logs: vec![(0, msg)], exit: Some((10, 2)), ..base };
                        }
                    }
                }
            }
        }
        other => {
            direct = true;
            other.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
        }
    };
    let node = match parse(&script) {
        Ok(n) => n,
        Err(e) => return Program { logs: vec![(0, format!("sh: {e}"))], exit: Some((10, 2)), ..base },
    };
    let mut run = Run::new(ctx, host, None);
    let outcome = run.exec(&node, &mut Sink::Log, "");
    // Run straight, a program that is not there never starts (the kubelet decides, as an
    // image's entrypoint script may be what runs the words).
    let start_error = (direct && run.not_found.as_deref().is_some_and(|n| n == strip_path(&words[0]) || n == words[0]))
        .then(|| crate::images::exec_not_found(&words[0]));
    if !run.partial.is_empty() {
        let rest = std::mem::take(&mut run.partial);
        run.logs.push((run.partial_t, rest));
    }
    let writes = std::mem::take(&mut run.writes);
    let base = Program { reevaluate: run.asked_cluster, start_error, follows: run.follows.take(), ..base };
    match outcome {
        Ok(()) => Program { logs: run.logs, files: run.files, writes, exit: Some((run.t.max(10), run.status)), ..base },
        Err(Stop::Exit(code)) => Program { logs: run.logs, files: run.files, writes, exit: Some((run.t.max(10), code)), ..base },
        Err(Stop::Horizon) => {
            // An endless loop: keep what was unrolled, then repeat its last lines' rhythm
            // (a `tail -f` left running prints only what is appended to its file).
            let repeat = if base.follows.is_some() { None } else { repeat_tail(&run.logs) };
            // A loop of requests loads the server it asks; its rhythm is the unrolled one.
            let load = run.request_url.take().map(|url| (url, run.t / run.requests.max(1)));
            Program { logs: run.logs, files: run.files, writes, repeat, load, ..base }
        }
    }
}

/// What a script run by `kubectl exec ... sh -c` printed and changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScriptRun {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
    /// Files written (new text) or removed (`None`), in path order, for the caller to store.
    pub writes: Vec<(String, Option<String>)>,
    /// The shell's variables and working directory when the script ended, for an
    /// interactive session's next line.
    pub vars: BTreeMap<String, String>,
    pub cwd: String,
    /// The script ran `exit` (or `exec` ended it): an interactive session is over.
    pub exited: bool,
    /// How long it ran, in virtual ms (`u64::MAX` when it would never end).
    pub elapsed_ms: u64,
}

/// Runs a script as `kubectl exec POD -- sh -c SCRIPT` does: output and errors apart, and
/// the files it wrote handed back. A script that would never end stops at the horizon.
pub fn run_script(script: &str, ctx: &Ctx<'_>, host: &mut dyn Host) -> ScriptRun {
    run_line(script, ctx, host, 0, "")
}

/// [`run_script`] as one line of an interactive shell whose previous line ended with
/// `last_status` (`$?`, and what a bare `exit` exits with), reading `stdin` (a heredoc's
/// text).
pub fn run_line(script: &str, ctx: &Ctx<'_>, host: &mut dyn Host, last_status: i32, stdin: &str) -> ScriptRun {
    let node = match parse(script) {
        Ok(n) => n,
        Err(e) => {
            return ScriptRun {
                stderr: format!("sh: {e}\n"),
                status: 2,
                vars: ctx.env.clone(),
                cwd: ctx.workdir.clone(),
                ..ScriptRun::default()
            }
        }
    };
    let mut run = Run::new(ctx, host, Some(String::new()));
    run.status = last_status;
    let mut out = Sink::Buf(String::new());
    let mut exited = false;
    let mut elapsed_ms = 0;
    let status = match run.exec(&node, &mut out, stdin) {
        Ok(()) => run.status,
        Err(Stop::Exit(code)) => {
            exited = true;
            code
        }
        Err(Stop::Horizon) => {
            elapsed_ms = u64::MAX;
            run.emit_err("kubeplay: the script did not end; it was stopped as if interrupted (kubectl exec would run until you press Ctrl-C)\n");
            130
        }
    };
    let Sink::Buf(stdout) = out else { return ScriptRun::default() };
    ScriptRun {
        stdout,
        stderr: run.stderr.take().unwrap_or_default(),
        status,
        writes: run.overlay.into_iter().collect(),
        vars: std::mem::take(&mut run.vars),
        cwd: std::mem::take(&mut run.cwd),
        exited,
        elapsed_ms: elapsed_ms.max(run.t),
    }
}

/// Runs one pipeline stage of the learner's own shell (`kubectl get pods | cut -d' ' -f1`)
/// over `input`, with the container shell's tools and no files or network.
pub fn filter(stage: &str, input: &str) -> ScriptRun {
    let node = match parse(stage) {
        Ok(n) => n,
        Err(e) => return ScriptRun { stderr: format!("sh: {e}\n"), status: 2, ..ScriptRun::default() },
    };
    let env = BTreeMap::new();
    let ctx = Ctx::plain(&env);
    let mut host = NoFs;
    let mut run = Run::new(&ctx, &mut host, Some(String::new()));
    let mut out = Sink::Buf(String::new());
    let status = match run.exec(&node, &mut out, input) {
        Ok(()) => run.status,
        Err(Stop::Exit(code)) => code,
        Err(Stop::Horizon) => 130,
    };
    let Sink::Buf(stdout) = out else { return ScriptRun::default() };
    ScriptRun { stdout, stderr: run.stderr.take().unwrap_or_default(), status, ..ScriptRun::default() }
}

impl<'a> Run<'a> {
    fn new(ctx: &'a Ctx<'a>, host: &'a mut dyn Host, stderr: Option<String>) -> Run<'a> {
        Run {
            ctx,
            host,
            stderr,
            vars: ctx.env.clone(),
            t: 0,
            logs: vec![],
            partial: String::new(),
            partial_t: 0,
            files: vec![],
            overlay: BTreeMap::new(),
            writes: Vec::new(),
            status: 0,
            ops: 0,
            cwd: if ctx.workdir.is_empty() { "/".into() } else { ctx.workdir.clone() },
            nesting: 0,
            terminal: ctx.tty,
            asked_cluster: false,
            follows: None,
            requests: 0,
            request_url: None,
            not_found: None,
        }
    }
}

/// `ls` on an 80-column terminal: names down the columns, as few rows as fit. GNU ls
/// (Debian images) sizes each column to its longest name; busybox gives every column the
/// longest name's width. Both separate columns by two spaces (GNU's tabs are not used).
fn columns(names: &[String], gnu: bool) -> String {
    const WIDTH: usize = 80;
    if names.is_empty() {
        return String::new();
    }
    let len = |n: &String| n.chars().count();
    let n = names.len();
    let layout = |cols: usize| -> Option<(usize, Vec<usize>)> {
        let rows = n.div_ceil(cols);
        let used = n.div_ceil(rows);
        let widths: Vec<usize> = if gnu {
            (0..used).map(|c| names[c * rows..((c + 1) * rows).min(n)].iter().map(len).max().unwrap_or(0)).collect()
        } else {
            vec![names.iter().map(len).max().unwrap_or(0); used]
        };
        let line: usize = widths.iter().sum::<usize>() + 2 * (used - 1);
        (line < WIDTH || cols == 1).then_some((rows, widths))
    };
    // busybox leaves the terminal's last column free.
    let max_cols =
        if gnu { n.min(WIDTH / 3) } else { n.min((WIDTH - 1) / (names.iter().map(len).max().unwrap_or(1) + 2)).max(1) };
    let (rows, widths) = (1..=max_cols.max(1)).rev().find_map(layout).unwrap_or((n, vec![0]));
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        let mut c = 0;
        while let Some(name) = names.get(c * rows + r) {
            line.push_str(name);
            if names.get((c + 1) * rows + r).is_some() {
                line.push_str(&" ".repeat(widths[c] - len(name) + 2));
            }
            c += 1;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The period and lines of the last iteration of an unrolled endless loop, guessed from the
/// last two log timestamps (None when it logs nothing or only once).
fn repeat_tail(logs: &[(u64, String)]) -> Option<(u64, Vec<String>)> {
    let times: Vec<u64> = logs.iter().map(|(t, _)| *t).collect();
    let last = *times.last()?;
    let prev = times.iter().rev().find(|t| **t < last).copied()?;
    let lines = logs.iter().filter(|(t, _)| *t == last).map(|(_, l)| l.clone()).collect();
    Some(((last - prev).max(1), lines))
}

fn is_shell(w: &str) -> bool {
    matches!(strip_path(w), "sh" | "bash" | "ash" | "dash")
}

/// A word quoted for the shell, so that an exec-form command runs word for word.
fn quote(w: &str) -> String {
    if !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grep_patterns_are_posix_regular_expressions() {
        let m = |pat: &str, extended: bool, line: &str| GrepPattern::new(pat, false, extended, false).map(|p| p.matches(line));
        // Extended: groups, alternation, repetition.
        assert_eq!(m("^(Status|IP):", true, "IP:   10.42.0.7"), Ok(true));
        assert_eq!(m("^(Status|IP):", true, "  IP:  10.42.0.7"), Ok(false));
        assert_eq!(m("[[:digit:]]{3}", true, "port 8080"), Ok(true));
        // Basic: the bare characters are literal, the escaped ones operators (GNU).
        assert_eq!(m("(ro)", false, "token (ro)"), Ok(true));
        assert_eq!(m("a|b", false, "a|b"), Ok(true));
        assert_eq!(m("a|b", false, "a"), Ok(false));
        assert_eq!(m("Status:\\|^IP:", false, "IP: x"), Ok(true));
        assert_eq!(m("^I[P]s*:", false, "IPs:"), Ok(true));
        assert_eq!(m("x\\{2\\}", false, "axxb"), Ok(true));
        assert_eq!(m("*star", false, "a *star"), Ok(true));
        // `$` and `^` inside a BRE are literal (the docs' `sed "s/\$ITEM/$i/"`).
        assert_eq!(m("$ITEM", false, "name: item-$ITEM"), Ok(true));
        assert_eq!(m("a^b", false, "a^b"), Ok(true));
        assert_eq!(m("x$\\|^y", false, "y"), Ok(true));
        // Fixed strings and case.
        assert!(GrepPattern::new("a.b", false, false, true).is_ok_and(|p| !p.matches("axb") && p.matches("a.b")));
        assert!(GrepPattern::new("name", true, false, false).is_ok_and(|p| p.matches("NAME")));
        // A malformed expression is grep's error, not a panic.
        assert_eq!(m("(ro", true, "").err().as_deref(), Some("Unmatched ( or \\("));
        assert_eq!(m("[ro", false, "").err().as_deref(), Some("Unmatched [, [^, [:, [., or [="));
    }

    struct MapFs(BTreeMap<String, String>);

    impl Host for MapFs {
        fn read(&self, path: &str) -> Option<String> {
            self.0.get(path).cloned()
        }
        fn list(&self, dir: &str) -> Option<Vec<String>> {
            let prefix = format!("{}/", dir.trim_end_matches('/'));
            let names: Vec<String> = self
                .0
                .keys()
                .filter_map(|k| k.strip_prefix(&prefix))
                .map(|r| r.split('/').next().unwrap_or(r).to_string())
                .collect();
            (!names.is_empty()).then_some(names)
        }
    }

    fn run_with(script: &str, env: &[(&str, &str)], files: &[(&str, &str)], dash: bool) -> Program {
        let env: BTreeMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut fs = MapFs(files.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        let ctx = Ctx { start_unix_ms: 1_767_225_600_000, dash, ..Ctx::plain(&env) };
        program(&["sh".to_string(), "-c".to_string(), script.to_string()], &ctx, &mut fs)
    }

    fn lines(p: &Program) -> Vec<String> {
        p.logs.iter().map(|(_, l)| l.clone()).collect()
    }

    #[test]
    fn loops_with_several_statements_and_sleep() {
        let p = run_with(
            "while true; do\n  echo -en '\\n';\n  printenv A B;\n  sleep 10;\ndone;",
            &[("A", "1"), ("B", "2")],
            &[],
            false,
        );
        assert_eq!(&lines(&p)[..6], ["", "1", "2", "", "1", "2"]);
        assert_eq!(p.logs[3].0, 10_000);
        assert_eq!(p.exit, None);
        assert_eq!(p.repeat.as_ref().map(|r| r.0), Some(10_000));
    }

    #[test]
    fn if_cat_ls_and_files() {
        let files = [
            ("/etc/podinfo/labels", "zone=\"us-est-coast\"\ncluster=\"test-cluster1\""),
            ("/etc/podinfo/annotations", "build=\"two\""),
        ];
        let p = run_with(
            "while true; do if [[ -e /etc/podinfo/labels ]]; then echo -en '\\n\\n'; cat /etc/podinfo/labels; fi; ls /etc/podinfo; sleep 5; done",
            &[],
            &files,
            false,
        );
        assert_eq!(&lines(&p)[..6], ["", "", "zone=\"us-est-coast\"", "cluster=\"test-cluster1\"annotations", "labels", ""]);
    }

    #[test]
    fn no_second_expansion_of_values_and_dash_echo_escapes() {
        let p = run_with(
            "echo \"username: $username\\npassword: $password\\n\"",
            &[("username", "my-app"), ("password", "39528$vdg7Jb")],
            &[],
            true,
        );
        assert_eq!(lines(&p), ["username: my-app", "password: 39528$vdg7Jb", ""]);
        let p = run_with("echo \"a\\nb\"", &[], &[], false);
        assert_eq!(lines(&p), ["a\\nb"]);
    }

    #[test]
    fn pipes_substitution_arithmetic_and_exit() {
        let env = [("DB_USERNAME", "db-admin"), ("BACKEND_USERNAME", "backend-admin"), ("OTHER", "x")];
        let p = run_with("env | grep _USERNAME", &env, &[], false);
        assert_eq!(lines(&p), ["BACKEND_USERNAME=backend-admin", "DB_USERNAME=db-admin"]);
        let p =
            run_with("echo \"$( cat /etc/secret-volume/username )\"", &[], &[("/etc/secret-volume/username", "my-app")], false);
        assert_eq!(lines(&p), ["my-app"]);
        let p = run_with("i=0; while [ $i -lt 3 ]; do echo \"$i: tick\"; i=$((i+1)); sleep 1; done; exit 3", &[], &[], false);
        assert_eq!(lines(&p), ["0: tick", "1: tick", "2: tick"]);
        assert_eq!(p.exit, Some((3000, 3)));
    }

    #[test]
    fn printf_date_and_unknown_commands() {
        let p = run_with(
            "printf 'UNCHANGED_REFERENCE=%s\\nSERVICE_ADDRESS=%s\\n' \"$A\" \"$B\"",
            &[("A", "$(PROTOCOL)://172.17.0.1:80"), ("B", "https://172.17.0.1:80")],
            &[],
            false,
        );
        assert_eq!(lines(&p), ["UNCHANGED_REFERENCE=$(PROTOCOL)://172.17.0.1:80", "SERVICE_ADDRESS=https://172.17.0.1:80"]);
        let p = run_with("date; sleep 61; date +%H:%M", &[], &[], false);
        assert_eq!(lines(&p), ["Thu Jan  1 00:00:00 UTC 2026", "00:01"]);
        let p = run_with("frobnicate", &[], &[], false);
        assert_eq!(lines(&p), ["sh: frobnicate: not found"]);
        assert_eq!(p.exit, Some((10, 127)));
        let p = run_with("echo $(( 2 * (3 + 4) ))", &[], &[], false);
        assert_eq!(lines(&p), ["14"]);
    }

    #[test]
    fn redirections_and_files() {
        let p = run_with("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600", &[], &[], false);
        assert_eq!(p.files, vec![(0, "/tmp/healthy".to_string(), true), (30_000, "/tmp/healthy".to_string(), false)]);
        let p = run_with(
            "echo hi > /tmp/x; cat /tmp/x; cat /nope 2>/dev/null || echo missing; ls /nope 2>&1 | head -1",
            &[],
            &[],
            false,
        );
        assert_eq!(lines(&p), ["hi", "missing", "ls: /nope: No such file or directory"]);
    }

    #[test]
    fn syntax_errors_do_not_panic() {
        for s in [
            "while true; do echo",
            "if then fi",
            "echo $(",
            "echo 'x",
            "for; do done",
            "(((",
            "}}",
            "a && || b",
            "echo ${",
            "$((1/0))",
        ] {
            let p = run_with(s, &[], &[], false);
            assert!(p.exit.is_some() || p.repeat.is_some() || p.logs.is_empty(), "{s}");
        }
    }

    #[test]
    fn deep_nesting_and_odd_input_end_cleanly() {
        let deep = format!("{}echo hi{}", "$(".repeat(500), ")".repeat(500));
        let p = run_with(&deep, &[], &[], false);
        assert!(p.exit.is_some());
        let deep = format!("{}true{}", "( ".repeat(2000), " )".repeat(2000));
        assert_eq!(run_with(&deep, &[], &[], false).logs[0].1, "sh: syntax error: too deeply nested");
        let busy = run_with("while true; do :; done", &[], &[], false);
        assert!(busy.exit.is_none());
        let mut seed = 7u64;
        let alphabet: Vec<char> = "ab $(){};&|<>'\"\\\n=whiledoneifthenfi0123`#*".chars().collect();
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..(seed % 40) {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let _ = run_with(&s, &[], &[], false);
            seed = seed.wrapping_add(1);
        }
    }

    #[test]
    fn ls_long_lists_modes_owners_sizes_and_totals_as_busybox_and_coreutils_do() {
        let files = [("/srv/a.txt", "hello\n"), ("/srv/sub/b", "")];
        // busybox: fixed columns; a file the script wrote is its user's (root here).
        let p = run_with("echo hi > /srv/new; ls -l /srv; ls -ld /srv/a.txt", &[], &files, false);
        assert_eq!(
            lines(&p),
            [
                "total 12",
                "-rw-r--r--    1 root     root             6 Jan  1 00:00 a.txt",
                "-rw-r--r--    1 root     root             3 Jan  1 00:00 new",
                "drwxr-xr-x    2 root     root          4096 Jan  1 00:00 sub",
                "-rw-r--r--    1 root     root             6 Jan  1 00:00 /srv/a.txt",
            ]
        );
        // GNU coreutils (dash images): columns as wide as their widest entry, `-a` adds
        // `.` and `..`, and a missing path is its error with status 2.
        let p = run_with("ls -la /srv/sub; ls -l /nowhere; echo $?", &[], &files, true);
        assert_eq!(
            lines(&p),
            [
                "total 8",
                "drwxr-xr-x 2 root root 4096 Jan  1 00:00 .",
                "drwxr-xr-x 2 root root 4096 Jan  1 00:00 ..",
                "-rw-r--r-- 1 root root    0 Jan  1 00:00 b",
                "ls: cannot access '/nowhere': No such file or directory",
                "2",
            ]
        );
    }

    #[test]
    fn ls_on_a_terminal_lists_in_columns() {
        let names: Vec<String> = "bin boot dev etc home lib lib64 media mnt opt proc root run sbin srv sys tmp usr var"
            .split(' ')
            .map(String::from)
            .collect();
        // GNU: each column as wide as its longest name, two spaces apart, fewest rows.
        assert_eq!(
            columns(&names, true),
            "bin   dev  home  lib64  mnt  proc  run   srv  tmp  var\nboot  etc  lib   media  opt  root  sbin  sys  usr\n"
        );
        // busybox: every column as wide as the longest name plus two.
        let bb: Vec<String> = "bin dev etc home proc root sys tmp usr var".split(' ').map(String::from).collect();
        assert_eq!(columns(&bb, false), "bin   dev   etc   home  proc  root  sys   tmp   usr   var\n");
        let long: Vec<String> = (0..3).map(|i| format!("{i}{}", "x".repeat(40))).collect();
        assert_eq!(columns(&long, true).lines().count(), 3);
        assert_eq!(columns(&[], true), "");
    }

    /// One line of an interactive session after another: the variables, directory and `$?`
    /// carry over; `exit` ends it (with the last status when bare); only a terminal gets
    /// columns, and not through a pipe or into a file.
    #[test]
    fn interactive_lines_carry_the_shell_state() {
        let files: BTreeMap<String, String> =
            [("/srv/a", "1"), ("/srv/b", "2")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut fs = MapFs(files);
        let mut env = BTreeMap::new();
        let mut cwd = "/".to_string();
        let mut status = 0;
        let mut line = |text: &str, fs: &mut MapFs| {
            let ctx = Ctx { workdir: cwd.clone(), tty: true, ..Ctx::plain(&env) };
            let run = run_line(text, &ctx, fs, status, "");
            env = run.vars.clone();
            cwd = run.cwd.clone();
            status = run.status;
            run
        };
        line("X=1; cd /srv", &mut fs);
        assert_eq!(line("echo $X; pwd", &mut fs).stdout, "1\n/srv\n");
        assert_eq!(line("ls", &mut fs).stdout, "a  b\n");
        assert_eq!(line("ls | cat", &mut fs).stdout, "a\nb\n");
        assert_eq!(line("echo \"$(ls)\"", &mut fs).stdout, "a\nb\n");
        line("false", &mut fs);
        assert_eq!(line("echo $?", &mut fs).stdout, "1\n");
        line("false", &mut fs);
        let end = line("exit", &mut fs);
        assert!(end.exited);
        assert_eq!(end.status, 1);
        assert!(!line("", &mut fs).exited);
    }
}
