//! The bits of a shell that tutorials lean on, around kubectl: variables
//! (`export POD_NAME=...`, `$POD_NAME`, `${POD_NAME}`), command substitution
//! (`$(kubectl get ...)`) and `echo`. Expansion happens outside single quotes, as in sh.

use crate::{Env, Output};
use kubeplay_sim::World;
use std::collections::BTreeMap;

/// Shell variables for one terminal or script.
#[derive(Clone, Debug, Default)]
pub struct Shell {
    pub vars: BTreeMap<String, String>,
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

impl Shell {
    /// Runs one line: an assignment (`[export] NAME=VALUE`) is recorded; anything else is
    /// expanded and run through `crate::run`.
    pub fn run(&mut self, world: &mut World, line: &str, env: &Env<'_>) -> Output {
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
        crate::run(world, &expanded, env)
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
}
