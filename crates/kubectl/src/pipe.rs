//! Shell pipelines after a command: `kubectl describe pods | grep Image:`. The first stage
//! runs against the cluster; the later stages filter its standard output as the usual Unix
//! tools do: `grep`, `head`, `tail`, `wc`, `sort` and `base64` here, and the container
//! shell's other text tools (`cut`, `awk '{print ...}'`, `sed s///`, `uniq`, `tr`, `rev`)
//! through `kubeplay_sim::shell::filter`. Standard error is not piped, as in a shell.

use crate::Output;

/// Splits a command line on `|` outside quotes. `None` when there is no pipe.
pub fn split(line: &str) -> Option<Vec<String>> {
    let mut parts = vec![String::new()];
    let (mut single, mut double, mut escaped) = (false, false, false);
    for ch in line.chars() {
        let cur = parts.last_mut()?;
        if escaped {
            escaped = false;
            cur.push(ch);
            continue;
        }
        match ch {
            '\\' if !single => {
                escaped = true;
                cur.push(ch);
            }
            '\'' if !double => {
                single = !single;
                cur.push(ch);
            }
            '"' if !single => {
                double = !double;
                cur.push(ch);
            }
            '|' if !single && !double => parts.push(String::new()),
            _ => cur.push(ch),
        }
    }
    (parts.len() > 1).then_some(parts)
}

/// Runs one filter stage over `input` (a previous stage's standard output).
pub fn filter(stage: &str, input: &str) -> Output {
    let words = match shell_words::split(stage) {
        Ok(w) => w,
        Err(_) => return Output::err("error: unterminated quote in command line\n".into()),
    };
    let Some(tool) = words.first() else {
        return Output { stderr: "syntax error near unexpected token `|'\n".into(), exit_code: 2, ..Output::default() };
    };
    let args = &words[1..];
    let lines: Vec<&str> = input.lines().collect();
    let join = |ls: &[&str]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    match tool.as_str() {
        "grep" => grep(args, &lines),
        // `head -c N` / `tail -c N`: bytes rather than lines.
        "head" | "tail" if args.first().is_some_and(|a| a.starts_with("-c")) => {
            let text = match args {
                [c, v] if c == "-c" => v.clone(),
                [a] => a[2..].to_string(),
                _ => return Output::err(format!("{tool}: unsupported arguments: {}\n", args.join(" "))),
            };
            // `tail -c +N` starts at byte N.
            let from_start = tool == "tail" && text.starts_with('+');
            match text.trim_start_matches('+').parse::<usize>() {
                Ok(n) => {
                    let bytes = input.as_bytes();
                    let picked = if from_start {
                        &bytes[n.saturating_sub(1).min(bytes.len())..]
                    } else if tool == "head" {
                        &bytes[..n.min(bytes.len())]
                    } else {
                        &bytes[bytes.len() - n.min(bytes.len())..]
                    };
                    Output::ok(String::from_utf8_lossy(picked).into_owned())
                }
                Err(_) => Output::err(format!("{tool}: invalid number of bytes: '{text}'\n")),
            }
        }
        "head" | "tail" => match count_arg(args) {
            Ok(n) => {
                let n = n.min(lines.len());
                let picked = if tool == "head" { &lines[..n] } else { &lines[lines.len() - n..] };
                Output::ok(join(picked))
            }
            Err(e) => Output::err(format!("{tool}: {e}\n")),
        },
        "wc" if args.len() == 1 && matches!(args[0].as_str(), "-l" | "-w" | "-c" | "-m") => {
            let n = match args[0].as_str() {
                "-l" => input.matches('\n').count(),
                "-w" => input.split_whitespace().count(),
                "-c" => input.len(),
                _ => input.chars().count(),
            };
            Output::ok(format!("{n}\n"))
        }
        "sort" if args.is_empty() => {
            let mut sorted = lines.clone();
            sorted.sort_unstable();
            Output::ok(join(&sorted))
        }
        "base64" => base64(args, input),
        "wc" | "sort" => Output::err(format!("{tool}: only `wc -l|-w|-c|-m` and `sort` without options are simulated\n")),
        // The other text tools (cut, uniq, sed, awk, tr, rev, ...) are the container shell's.
        other if kubeplay_sim::shell::PROGRAMS.contains(&other) => {
            let run = kubeplay_sim::shell::filter(stage, input);
            Output { stdout: run.stdout, stderr: run.stderr, exit_code: run.status, ..Output::default() }
        }
        other => Output { stderr: format!("{other}: command not found\n"), exit_code: 127, ..Output::default() },
    }
}

/// `base64` (wrapped at 76 columns, as coreutils does) and `base64 -d|--decode`.
pub fn base64(args: &[String], input: &str) -> Output {
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["-w0"] | ["-w", "0"] => {
            let enc = crate::base64_encode(input.as_bytes());
            if args.is_empty() && !enc.is_empty() {
                let wrapped: Vec<String> = enc.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
                Output::ok(format!("{}\n", wrapped.join("\n")))
            } else {
                Output::ok(enc)
            }
        }
        ["-d"] | ["--decode"] | ["-D"] => {
            let clean: String = input.chars().filter(|c| !c.is_whitespace()).collect();
            match crate::base64_decode(&clean) {
                Some(bytes) => Output::ok(String::from_utf8_lossy(&bytes).into_owned()),
                None => Output::err("base64: invalid input\n".into()),
            }
        }
        _ => {
            Output::err(format!("base64: only `base64`, `base64 -w0` and `base64 -d` are simulated, not `{}`\n", args.join(" ")))
        }
    }
}

/// `-n N`, `-nN`, `-N` or nothing (10).
fn count_arg(args: &[String]) -> Result<usize, String> {
    let text = match args {
        [] => return Ok(10),
        [n, v] if n == "-n" => v.clone(),
        [a] if a.starts_with("-n") => a[2..].to_string(),
        [a] if a.starts_with('-') => a[1..].to_string(),
        _ => return Err(format!("unsupported arguments: {}", args.join(" "))),
    };
    text.parse().map_err(|_| format!("invalid number of lines: '{text}'"))
}

fn grep(args: &[String], lines: &[&str]) -> Output {
    let (mut invert, mut ignore_case, mut count, mut extended, mut fixed) = (false, false, false, false, false);
    let (mut after, mut before) = (0usize, 0usize);
    let mut pattern: Option<String> = None;
    // `-e PATTERN`, possibly several: any of them matches.
    let mut patterns: Vec<String> = Vec::new();
    let fail = |msg: String| Output { stderr: msg, exit_code: 2, ..Output::default() };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "-e" {
            patterns.push(args.get(i).cloned().unwrap_or_default());
            i += 1;
            continue;
        }
        // GNU grep takes options after the pattern too (`grep nodePort -C 5`).
        if !(a.starts_with('-') && a.len() > 1) {
            if pattern.is_some() || !patterns.is_empty() {
                return fail("grep: reading files is not simulated\n".into());
            }
            pattern = Some(a.clone());
            continue;
        }
        let mut flags = a[1..].chars();
        while let Some(f) = flags.next() {
            match f {
                'v' => invert = true,
                'i' => ignore_case = true,
                'c' => count = true,
                'E' => extended = true,
                'F' => fixed = true,
                'A' | 'B' | 'C' => {
                    // The number is glued on (`-A6`) or the next argument (`-A 6`).
                    let glued: String = flags.by_ref().collect();
                    let text = if glued.is_empty() {
                        i += 1;
                        args.get(i - 1).cloned().unwrap_or_default()
                    } else {
                        glued
                    };
                    let Ok(n) = text.parse::<usize>() else {
                        return fail(format!("grep: {text}: invalid context length argument\n"));
                    };
                    if f != 'B' {
                        after = n;
                    }
                    if f != 'A' {
                        before = n;
                    }
                }
                _ => return fail(format!("grep: invalid option -- '{f}'\n")),
            }
        }
    }
    patterns.extend(pattern);
    if patterns.is_empty() {
        return fail("Usage: grep [OPTION]... PATTERNS [FILE]...\n".into());
    }
    let mut compiled = Vec::new();
    for p in &patterns {
        match kubeplay_sim::shell::GrepPattern::new(p, ignore_case, extended, fixed) {
            Ok(c) => compiled.push(c),
            Err(e) => return fail(format!("grep: {e}\n")),
        }
    }
    let matches = |line: &str| compiled.iter().any(|p| p.matches(line));
    let hits: Vec<usize> = (0..lines.len()).filter(|&n| matches(lines[n]) != invert).collect();
    let exit_code = i32::from(hits.is_empty());
    if count {
        return Output { stdout: format!("{}\n", hits.len()), exit_code, ..Output::default() };
    }
    // Lines to print, with context; groups that do not touch are separated by `--`.
    let mut shown: Vec<usize> = Vec::new();
    for &h in &hits {
        let from = h.saturating_sub(before).max(shown.last().map_or(0, |l| l + 1));
        shown.extend(from..=(h + after).min(lines.len().saturating_sub(1)));
    }
    let mut stdout = String::new();
    let mut prev: Option<usize> = None;
    for n in shown {
        if (after > 0 || before > 0) && prev.is_some_and(|p| n > p + 1) {
            stdout.push_str("--\n");
        }
        stdout.push_str(lines[n]);
        stdout.push('\n');
        prev = Some(n);
    }
    Output { stdout, exit_code, ..Output::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_pipes_outside_quotes() {
        assert_eq!(split("kubectl get pods"), None);
        assert_eq!(
            split("kubectl describe pods | grep 'a|b' | head -1"),
            Some(vec!["kubectl describe pods ".to_string(), " grep 'a|b' ".into(), " head -1".into()])
        );
    }

    #[test]
    fn grep_filters_like_grep() {
        let input = "Name: a\nImage: nginx\n  Image:  busybox\nready\n";
        assert_eq!(filter("grep Image:", input).stdout, "Image: nginx\n  Image:  busybox\n");
        assert_eq!(filter("grep -v Image", input).stdout, "Name: a\nready\n");
        assert_eq!(filter("grep -ic image", input).stdout, "2\n");
        assert_eq!(filter("grep ^Image", input).stdout, "Image: nginx\n");
        let lines = "a\nb\nhit\nc\nd\ne\nhit2\nf\n";
        assert_eq!(filter("grep -A1 hit", lines).stdout, "hit\nc\n--\nhit2\nf\n");
        assert_eq!(filter("grep -B 1 hit2", lines).stdout, "e\nhit2\n");
        assert_eq!(filter("grep -C2 hit2", lines).stdout, "d\ne\nhit2\nf\n");
        assert_eq!(filter("grep -A x hit", lines).stderr, "grep: x: invalid context length argument\n");
        let none = filter("grep nothing", input);
        assert_eq!((none.stdout.as_str(), none.exit_code), ("", 1));
    }

    #[test]
    fn head_tail_wc_sort() {
        let input = "c\na\nb\n";
        assert_eq!(filter("head -n 2", input).stdout, "c\na\n");
        assert_eq!(filter("head -1", input).stdout, "c\n");
        assert_eq!(filter("tail -n1", input).stdout, "b\n");
        assert_eq!(filter("tail -5", input).stdout, input);
        assert_eq!(filter("wc -l", input).stdout, "3\n");
        assert_eq!(filter("wc -c", input).stdout, "6\n");
        assert_eq!(filter("wc -w", "a b\nc\n").stdout, "3\n");
        assert_eq!(filter("sort", input).stdout, "a\nb\nc\n");
        assert_eq!(filter("awk '{print $1}'", "x y\nz w\n").stdout, "x\nz\n");
        assert_eq!(filter("cut -d: -f2", "a:b:c\nno\n").stdout, "b\nno\n");
        assert_eq!(filter("sed 's/a/A/g'", "aba\n").stdout, "AbA\n");
        assert_eq!(filter("uniq -c", "a\na\nb\n").stdout, "      2 a\n      1 b\n");
        assert_eq!(filter("perl -e 1", input).exit_code, 127);
        assert_eq!(filter("head -n x", input).stderr, "head: invalid number of lines: 'x'\n");
        assert_eq!(filter("head -c 3", input).stdout, "c\na");
        assert_eq!(filter("tail -c2", input).stdout, "b\n");
        assert_eq!(filter("tail -c +3", input).stdout, "a\nb\n");
    }
}
