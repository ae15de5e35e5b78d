//! Shell pipelines after a command: `kubectl describe pods | grep Image:`. The first stage
//! runs against the cluster; the later stages filter its standard output as the usual Unix
//! tools do. Only the filters tutorials use are provided (`grep`, `head`, `tail`, `wc -l`,
//! `sort`); `grep` matches fixed text, with `^` and `$` anchors, not full regular
//! expressions. Standard error is not piped, as in a shell.

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
        "head" | "tail" => match count_arg(args) {
            Ok(n) => {
                let n = n.min(lines.len());
                let picked = if tool == "head" { &lines[..n] } else { &lines[lines.len() - n..] };
                Output::ok(join(picked))
            }
            Err(e) => Output::err(format!("{tool}: {e}\n")),
        },
        "wc" if args.iter().all(|a| a == "-l") => Output::ok(format!("{}\n", lines.len())),
        "sort" if args.is_empty() => {
            let mut sorted = lines.clone();
            sorted.sort_unstable();
            Output::ok(join(&sorted))
        }
        "wc" | "sort" => Output::err(format!("{tool}: only `wc -l` and `sort` without options are simulated\n")),
        other => Output { stderr: format!("{other}: command not found\n"), exit_code: 127, ..Output::default() },
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
    let (mut invert, mut ignore_case, mut count) = (false, false, false);
    let mut pattern = None;
    for a in args {
        match a.as_str() {
            s if s.starts_with('-') && s.len() > 1 && pattern.is_none() => {
                for f in s[1..].chars() {
                    match f {
                        'v' => invert = true,
                        'i' => ignore_case = true,
                        'c' => count = true,
                        'E' | 'F' => {}
                        _ => {
                            return Output {
                                stderr: format!("grep: invalid option -- '{f}'\n"),
                                exit_code: 2,
                                ..Output::default()
                            }
                        }
                    }
                }
            }
            _ if pattern.is_none() => pattern = Some(a.clone()),
            _ => return Output { stderr: "grep: reading files is not simulated\n".into(), exit_code: 2, ..Output::default() },
        }
    }
    let Some(pattern) = pattern else {
        return Output { stderr: "Usage: grep [OPTION]... PATTERNS [FILE]...\n".into(), exit_code: 2, ..Output::default() };
    };
    let fold = |s: &str| if ignore_case { s.to_lowercase() } else { s.to_string() };
    let pat = fold(&pattern);
    let (start, rest) = match pat.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, pat.as_str()),
    };
    let (end, needle) = match rest.strip_suffix('$') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let matches = |line: &str| {
        let l = fold(line);
        match (start, end) {
            (true, true) => l == needle,
            (true, false) => l.starts_with(needle),
            (false, true) => l.ends_with(needle),
            (false, false) => l.contains(needle),
        }
    };
    let kept: Vec<&str> = lines.iter().copied().filter(|l| matches(l) != invert).collect();
    let exit_code = i32::from(kept.is_empty());
    let stdout = if count { format!("{}\n", kept.len()) } else { kept.iter().map(|l| format!("{l}\n")).collect() };
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
        assert_eq!(filter("sort", input).stdout, "a\nb\nc\n");
        assert_eq!(filter("awk '{print $1}'", input).exit_code, 127);
        assert_eq!(filter("head -n x", input).stderr, "head: invalid number of lines: 'x'\n");
    }
}
