//! `jq` at the end of a pipeline (`kubectl get ... -o json | jq .`), on jaq, a jq clone:
//! the filter runs over each JSON value on standard input; `-r` prints strings raw, `-c`
//! compactly, `-S` sorts keys; with no filter it is `.`. Output is jq's: two-space indent
//! and `"key": value`.

use crate::Output;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, Compiler, Ctx, Vars};
use jaq_json::Val;

/// Runs `jq ARGS` over `input`.
pub fn jq(args: &[String], input: &str) -> Output {
    let (mut raw, mut compact, mut sort, mut join) = (false, false, false, false);
    let mut program: Option<&str> = None;
    for a in args {
        match a.as_str() {
            "-r" | "--raw-output" => raw = true,
            "-c" | "--compact-output" => compact = true,
            "-S" | "--sort-keys" => sort = true,
            "-j" | "--join-output" => {
                raw = true;
                join = true;
            }
            "-M" | "--monochrome-output" | "-C" | "--color-output" => {}
            // Combined short flags (`-rc`).
            f if f.starts_with('-') && f.len() > 2 && !f.starts_with("--") && f[1..].chars().all(|c| "rcSjM".contains(c)) => {
                raw |= f.contains('r') || f.contains('j');
                compact |= f.contains('c');
                sort |= f.contains('S');
                join |= f.contains('j');
            }
            f if f.starts_with('-') && f != "-" && program.is_none() && !f.starts_with("-.") => {
                return Output { stderr: format!("jq: Unknown option: {f}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.org\n"), exit_code: 2, ..Output::default() };
            }
            p if program.is_none() => program = Some(p),
            // A file argument: kubeplay's jq reads standard input only.
            f => {
                return Output {
                    stderr: format!("jq: error: Could not open {f}: No such file or directory\n"),
                    exit_code: 2,
                    ..Output::default()
                };
            }
        }
    }
    let code = program.unwrap_or(".");
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let funs = jaq_core::funs().chain(jaq_std::funs()).chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let compile_error = || Output {
        stderr: format!("jq: error: syntax error in {code:?}\njq: 1 compile error\n"),
        exit_code: 3,
        ..Output::default()
    };
    let Ok(modules) = loader.load(&arena, File { code, path: () }) else { return compile_error() };
    let Ok(filter) = Compiler::default().with_funs(funs).compile(modules) else { return compile_error() };
    let pp = jaq_json::write::Pp {
        indent: (!compact).then(|| "  ".to_string()),
        sort_keys: sort,
        sep_space: !compact,
        ..Default::default()
    };
    let mut out = Output::default();
    for value in jaq_json::read::parse_many(input.as_bytes()) {
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                out.stderr.push_str(&format!("jq: error (at <stdin>:0): Cannot parse the input as JSON: {e}\n"));
                out.exit_code = 2;
                return out;
            }
        };
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
        for result in filter.id.run((ctx, value)) {
            match result {
                Ok(Val::TStr(s)) if raw => {
                    out.stdout.push_str(&String::from_utf8_lossy(&s));
                    if !join {
                        out.stdout.push('\n');
                    }
                }
                Ok(v) => {
                    let mut buf = Vec::new();
                    if jaq_json::write::write(&mut buf, &pp, 0, &v).is_err() {
                        continue;
                    }
                    out.stdout.push_str(&String::from_utf8_lossy(&buf));
                    if !join {
                        out.stdout.push('\n');
                    }
                }
                Err(e) => {
                    let text = match e.get_err() {
                        Ok(err) => err.to_string(),
                        // `halt`/`halt_error`: stop here.
                        Err(_) => return out,
                    };
                    // jq names the line it has read up to and the value's type.
                    let line = input.lines().count();
                    out.stderr.push_str(&format!("jq: error (at <stdin>:{line}): {}\n", jq_words(&text)));
                    out.exit_code = 5;
                }
            }
        }
    }
    out
}

/// jaq's `cannot index "x" with "y"` in jq's words: `Cannot index string with "y"`.
fn jq_words(text: &str) -> String {
    let Some(rest) = text.strip_prefix("cannot index ") else { return text.to_string() };
    let Some((value, key)) = rest.rsplit_once(" with ") else { return text.to_string() };
    let ty = match value.chars().next() {
        Some('"') => "string",
        Some('[') => "array",
        Some('{') => "object",
        Some('t' | 'f') => "boolean",
        Some('n') => "null",
        _ => "number",
    };
    format!("Cannot index {ty} with {key}")
}

#[cfg(test)]
mod tests {
    use super::jq;

    fn run(args: &[&str], input: &str) -> String {
        jq(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>(), input).stdout
    }

    #[test]
    fn jq_as_the_docs_use_it() {
        let used = r#"{"limits.cpu":"800m","limits.memory":"800Mi","requests.cpu":"400m","requests.memory":"600Mi"}"#;
        assert_eq!(
            run(&["."], used),
            "{\n  \"limits.cpu\": \"800m\",\n  \"limits.memory\": \"800Mi\",\n  \"requests.cpu\": \"400m\",\n  \"requests.memory\": \"600Mi\"\n}\n"
        );
        assert_eq!(run(&[], "[1, {\"a\": []}]"), "[\n  1,\n  {\n    \"a\": []\n  }\n]\n");
        let pods = r#"{"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}"#;
        assert_eq!(run(&["-r", ".items[].metadata.name"], pods), "a\nb\n");
        assert_eq!(run(&[".items | length"], pods), "2\n");
        assert_eq!(run(&["-c", ".items[0]"], pods), "{\"metadata\":{\"name\":\"a\"}}\n");
        let secret = r#"{"data":{"password":"czNjcjN0"}}"#;
        assert_eq!(run(&[".data | map_values(@base64d)"], secret), "{\n  \"password\": \"s3cr3t\"\n}\n");
        assert_eq!(jq(&["(".to_string()], "{}").exit_code, 3);
        let e = jq(&[".a.b".to_string()], "{\"a\": 1}");
        assert_eq!((e.exit_code, e.stderr.as_str()), (5, "jq: error (at <stdin>:1): Cannot index number with \"b\"\n"));
        assert_eq!(jq(&[".".to_string()], "{nope").exit_code, 2);
    }
}
