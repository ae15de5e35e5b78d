//! The objects `label`, `annotate` and `set` change, and how they are printed after:
//! live objects (named as `TYPE NAME`, `TYPE/NAME`, by `-l`/`--all`, or by the manifests of
//! `-f`), or with `--local` the `-f` manifests themselves, changed without contacting the
//! API server (kubectl's `LocalParam`), as in
//! `kubectl create service ... -o yaml --dry-run=client | kubectl set selector --local -f - ...`.

use crate::args::Args;
use crate::exec::{api_error_text, manifest_docs, manifest_ref, object_refs, qualified_name, targets};
use crate::Env;
use kubeplay_sim::{ApiError, Kind, ObjRef, Object, World};
use serde_json::Value;

/// One object a changing verb works on.
pub(crate) enum Subject {
    /// An object in the cluster, as it is now.
    Live(Object),
    /// A manifest from `-f` with `--local`: changed and printed, never sent.
    Local(Kind, Value),
}

impl Subject {
    pub fn kind(&self) -> Kind {
        match self {
            Subject::Live(o) => o.kind(),
            Subject::Local(k, _) => *k,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Subject::Live(o) => o.meta().name.clone().unwrap_or_default(),
            Subject::Local(_, v) => v.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string(),
        }
    }

    /// The object as JSON, to be changed.
    pub fn value(&self) -> Value {
        match self {
            Subject::Live(o) => o.to_value(),
            Subject::Local(_, v) => v.clone(),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self, Subject::Local(..))
    }
}

/// The objects named by `names` (`TYPE NAME`, `TYPE/NAME`, or a type with `-l`/`--all`), by
/// the manifests of `-f`, or with `--local` the manifests themselves; kubectl's error for a
/// bad combination. A named live object that does not exist gets the API server's NotFound
/// in the second value, and the others are still changed.
/// `verb` picks kubectl's wording for `--local` without files: label's, annotate's, or the
/// set commands' `LocalResourceError`.
pub(crate) fn subjects(
    world: &World,
    args: &Args,
    env: &Env<'_>,
    names: &[String],
    verb: &str,
) -> Result<(Vec<Subject>, String), String> {
    let files = !args.all("filename").is_empty();
    if args.flag("local") {
        if args.value("dry-run") == Some("server") {
            return Err("error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n".into());
        }
        let example =
            if verb == "annotate" { "-f rsrc.yaml or --filename=rsrc.json" } else { "-f pod.yaml or --filename=pod.json" };
        if verb == "set" && (!names.is_empty() || !files) {
            return Err("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f resource.yaml'\n   '--filename=resource.json'\n".into());
        }
        if !names.is_empty() {
            return Err(format!("error: can only use local files by {example} when --local=true is set\n"));
        }
        if !files {
            return Err(format!("error: one or more files must be specified as {example}\n"));
        }
        let mut errs = String::new();
        let (docs, _) = manifest_docs(args, env, false, &mut errs, &mut Vec::new())?;
        if !errs.is_empty() {
            return Err(errs);
        }
        return Ok((docs.into_iter().map(|d| Subject::Local(d.kind, d.value)).collect(), String::new()));
    }
    if !files && names.is_empty() {
        return Err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n".into());
    }
    let refs: Vec<ObjRef> = if files {
        if !names.is_empty() {
            return Err(
                "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n".into(),
            );
        }
        let mut errs = String::new();
        let (docs, _) = manifest_docs(args, env, false, &mut errs, &mut Vec::new())?;
        if !errs.is_empty() {
            return Err(errs);
        }
        docs.iter().map(|d| manifest_ref(args, d.kind, &d.value)).collect()
    } else {
        object_refs(world, args, targets(names)?)?
    };
    let mut found = Vec::new();
    let mut missing = String::new();
    for r in refs {
        match world.store().get_ref(&r) {
            Some(o) => found.push(Subject::Live(o.clone())),
            None => missing.push_str(&api_error_text(&ApiError::not_found(r.kind, &r.name))),
        }
    }
    Ok((found, missing))
}

/// kubectl's mark for a change not persisted (`PrintFlagsWithDryRunStrategy`, which looks
/// at `--dry-run` only): ` (dry run)` for client, ` (server dry run)` for server.
pub(crate) fn dry_run_suffix(args: &Args) -> &'static str {
    match args.value("dry-run") {
        Some("server") => " (server dry run)",
        Some("none") | None => "",
        _ => " (dry run)",
    }
}

/// Whether the change stays on the client: `--local` or `--dry-run=client` (a server dry
/// run still sends it, and the server keeps nothing).
pub(crate) fn client_only(args: &Args) -> bool {
    args.flag("local") || !matches!(args.value("dry-run"), None | Some("none") | Some("server"))
}

/// Whether nothing is written: a client-only change or a server dry run.
pub(crate) fn no_write(args: &Args) -> bool {
    client_only(args) || args.value("dry-run") == Some("server")
}

/// kubectl builds its printer before changing anything: a format it cannot print is refused
/// first.
pub(crate) fn check_output(args: &Args) -> Result<(), String> {
    if let Some(tpl) = go_template_of(args) {
        return crate::gotemplate::check(tpl).map_err(|e| match e {
            crate::gotemplate::Failure::Parse(e) => format!("error: error parsing template {tpl}, {e}\n"),
            crate::gotemplate::Failure::Exec { error, .. } => format!("error: {error}\n"),
        });
    }
    match args.value("output") {
        None | Some("" | "yaml" | "json" | "kyaml" | "name") => Ok(()),
        Some(o) if o.starts_with("jsonpath=") => Ok(()),
        Some(other) => Err(format!(
            "error: unable to match a printer suitable for the output format {other:?}, allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml\n"
        )),
    }
}

/// The Go template to print with: `-o go-template=T`, `-o template=T`, or `--template T` with
/// `-o go-template`, `-o template` or no `-o` at all (kubectl's PrintFlags).
pub(crate) fn go_template_of(args: &Args) -> Option<&str> {
    match args.value("output") {
        Some("go-template" | "template") | None => args.value("template"),
        Some(o) => o.strip_prefix("go-template=").or_else(|| o.strip_prefix("template=")),
    }
}

/// What kubectl prints for a changed object: the object itself for `-o yaml|json|jsonpath=`,
/// its name for `-o name`, else `KIND/NAME MESSAGE` with the dry-run mark.
pub(crate) fn printed(args: &Args, kind: Kind, value: &Value, message: &str) -> Result<String, String> {
    let name = value.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    let value = kubeplay_sim::api::sort_keys(value);
    if let Some(tpl) = go_template_of(args) {
        let o = crate::gotemplate::output(tpl, &value, args);
        return if o.exit_code == 0 { Ok(o.stdout) } else { Err(o.stdout + &o.stderr) };
    }
    Ok(match args.value("output") {
        Some("yaml") => crate::yaml::to_yaml(&value),
        Some("kyaml") => crate::yaml::to_kyaml(&value),
        Some("json") => format!("{}\n", crate::to_json(&value)),
        Some("name") => format!("{}\n", qualified_name(kind, name)),
        None | Some("") => {
            let suffix = dry_run_suffix(args);
            format!("{} {message}{suffix}\n", qualified_name(kind, name))
        }
        Some(other) => match other.strip_prefix("jsonpath=") {
            Some(tpl) => crate::jsonpath::render(tpl, &value)
                .map_err(|e| format!("error: error parsing jsonpath {tpl}, {e}\n"))?,
            None => {
                return Err(format!(
                    "error: unable to match a printer suitable for the output format {other:?}, allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml\n"
                ))
            }
        },
    })
}
