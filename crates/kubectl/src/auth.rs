//! `kubectl auth can-i` and `kubectl auth whoami`.
//!
//! kubectl runs as k3s's admin (`system:admin` in `system:masters`), which RBAC never
//! refuses. `--as`/`--as-group` ask about someone else: the answer is the RBAC authorizer's
//! over the Roles, ClusterRoles and bindings in the cluster (`VisitRulesFor`, `RuleAllows`).
//! The cluster's built-in roles other than cluster-admin (admin, edit, view, system:*) are
//! not modelled, and a binding to one of them says so instead of silently granting nothing.
//! RBAC is answered here, not enforced on other commands (`Kind::not_enforced`).

use crate::args::Args;
use crate::Output;
use k8s_openapi::api::rbac::v1::{PolicyRule, Subject};
use kubeplay_sim::{Kind, Object, World};
use std::fmt::Write as _;

/// The built-in ClusterRoles a binding may name that kubeplay does not store (and any
/// `system:` role).
const UNMODELLED_ROLES: &[&str] = &["admin", "edit", "view"];

/// The API server's default bindings for everyone who has logged in (and, for the public
/// paths, everyone): system:discovery, system:public-info-viewer and system:basic-user.
fn default_rules(id: &Identity) -> Vec<PolicyRule> {
    let urls = |list: &[&str]| PolicyRule {
        verbs: vec!["get".into()],
        non_resource_urls: Some(list.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    };
    let public = ["/healthz", "/livez", "/readyz", "/version", "/version/"];
    let member = |g: &str| id.groups.iter().any(|x| x == g);
    let mut rules = Vec::new();
    if member("system:authenticated") || member("system:unauthenticated") {
        rules.push(urls(&public));
    }
    if member("system:authenticated") {
        rules.push(urls(&["/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*"]));
        rules.push(PolicyRule {
            verbs: vec!["create".into()],
            api_groups: Some(vec!["authorization.k8s.io".into()]),
            resources: Some(vec!["selfsubjectaccessreviews".into(), "selfsubjectrulesreviews".into()]),
            ..Default::default()
        });
        rules.push(PolicyRule {
            verbs: vec!["create".into()],
            api_groups: Some(vec!["authentication.k8s.io".into()]),
            resources: Some(vec!["selfsubjectreviews".into()]),
            ..Default::default()
        });
    }
    rules
}

pub fn auth(world: &World, args: &Args) -> Output {
    if args.value("as").is_none() && !args.all("as-group").is_empty() {
        return Output::err("error: kubeplay impersonates a group only together with a user: give --as too\n".into());
    }
    match args.positional.first().map(String::as_str) {
        Some("can-i") => can_i(world, args),
        Some("whoami") => whoami(args),
        Some(other) => Output::err(format!(
            "error: kubeplay simulates `kubectl auth can-i` and `kubectl auth whoami`, not `kubectl auth {other}`\n"
        )),
        None => Output::err("error: specify `kubectl auth can-i VERB TYPE` or `kubectl auth whoami`\n".into()),
    }
}

/// Who a request is made as.
struct Identity {
    user: String,
    groups: Vec<String>,
}

impl Identity {
    /// The admin, or the impersonated user with the groups the API server adds:
    /// `system:authenticated`, and a service account's `system:serviceaccounts[:NS]`.
    fn of(args: &Args) -> Identity {
        let Some(user) = args.value("as").map(String::from) else {
            return Identity {
                user: "system:admin".into(),
                groups: vec!["system:masters".into(), "system:authenticated".into()],
            };
        };
        let mut groups: Vec<String> = args.all("as-group").to_vec();
        if let Some(ns) = user.strip_prefix("system:serviceaccount:").and_then(|r| r.split_once(':')).map(|(ns, _)| ns) {
            for g in ["system:serviceaccounts".to_string(), format!("system:serviceaccounts:{ns}")] {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
        }
        let has = |groups: &[String], g: &str| groups.iter().any(|x| x == g);
        if user == "system:anonymous" {
            if !has(&groups, "system:unauthenticated") {
                groups.push("system:unauthenticated".into());
            }
        } else if !has(&groups, "system:authenticated") && !has(&groups, "system:unauthenticated") {
            groups.push("system:authenticated".into());
        }
        Identity { user, groups }
    }

    fn is_subject(&self, s: &Subject, binding_ns: &str) -> bool {
        match s.kind.as_str() {
            "User" => s.name == self.user,
            "Group" => self.groups.contains(&s.name),
            "ServiceAccount" => {
                let ns = s.namespace.as_deref().filter(|n| !n.is_empty()).unwrap_or(binding_ns);
                self.user == format!("system:serviceaccount:{ns}:{}", s.name)
            }
            _ => false,
        }
    }
}

/// `kubectl auth whoami`: the SelfSubjectReview's user.
fn whoami(args: &Args) -> Output {
    let id = Identity::of(args);
    let groups = format!("[{}]", id.groups.join(" "));
    match args.value("output") {
        Some("json" | "yaml") => {
            let v = serde_json::json!({
                "apiVersion": "authentication.k8s.io/v1",
                "kind": "SelfSubjectReview",
                "metadata": {"creationTimestamp": null},
                "status": {"userInfo": {"groups": id.groups, "username": id.user}},
            });
            if args.value("output") == Some("json") {
                Output::ok(format!("{}\n", crate::to_json(&v)))
            } else {
                Output::ok(crate::yaml::to_yaml(&v))
            }
        }
        _ => Output::ok(crate::table::render(&[
            vec!["ATTRIBUTE".into(), "VALUE".into()],
            vec!["Username".into(), id.user],
            vec!["Groups".into(), groups],
        ])),
    }
}

/// What a can-i question asks.
struct Request {
    verb: String,
    group: String,
    resource: String,
    subresource: String,
    name: String,
    namespace: String,
    /// A non-resource URL (`/logs`), instead of a resource.
    path: Option<String>,
}

fn can_i(world: &World, args: &Args) -> Output {
    if args.flag("list") {
        return Output::err(
            "error: kubeplay does not simulate `kubectl auth can-i --list`; ask about one verb and resource\n".into(),
        );
    }
    let words = &args.positional[1..];
    let (Some(verb), Some(what)) = (words.first(), words.get(1)) else {
        return Output::err(
            "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples\n"
                .into(),
        );
    };
    let mut warnings = String::new();
    let namespace = if args.flag("all-namespaces") { String::new() } else { crate::exec::namespace(args) };
    let req = if what.starts_with('/') {
        Request {
            verb: verb.clone(),
            group: String::new(),
            resource: String::new(),
            subresource: String::new(),
            name: String::new(),
            namespace: String::new(),
            path: Some(what.clone()),
        }
    } else {
        let (ty, name) = what.split_once('/').unwrap_or((what, ""));
        let (group, resource) = match Kind::from_resource_name(ty) {
            Some(k) => {
                // kubectl still sends the namespace; it only warns.
                if !k.info().namespaced && !args.flag("all-namespaces") {
                    let i = k.info();
                    if i.group.is_empty() {
                        let _ = writeln!(warnings, "Warning: resource '{}' is not namespace scoped\n", i.plural);
                    } else {
                        let _ = writeln!(
                            warnings,
                            "Warning: resource '{}' is not namespace scoped in group '{}'\n",
                            i.plural, i.group
                        );
                    }
                }
                (k.info().group.to_string(), k.info().plural.to_string())
            }
            // `*`, and the identities kubectl knows are not API resources.
            None if ["*", "users", "groups"].contains(&ty.to_ascii_lowercase().as_str()) => {
                (String::new(), ty.to_ascii_lowercase())
            }
            None => {
                let lower = ty.to_ascii_lowercase();
                let (r, g) = lower.split_once('.').unwrap_or((&lower, ""));
                if g.is_empty() {
                    let _ = writeln!(warnings, "Warning: the server doesn't have a resource type '{r}'");
                } else {
                    let _ = writeln!(warnings, "Warning: the server doesn't have a resource type '{r}' in group '{g}'");
                }
                (String::new(), ty.to_string())
            }
        };
        Request {
            verb: verb.clone(),
            group,
            resource,
            subresource: args.value("subresource").unwrap_or("").to_string(),
            name: name.to_string(),
            namespace,
            path: None,
        }
    };
    let id = Identity::of(args);
    let (allowed, unmodelled) = authorize(world, &id, &req);
    if let Some(role) = unmodelled.filter(|_| !allowed) {
        let _ = writeln!(
            warnings,
            "kubeplay: a binding names the built-in ClusterRole {role:?}, whose rules kubeplay does not model; this answer leaves them out"
        );
    }
    let quiet = args.flag("quiet");
    Output {
        warnings,
        stdout: if quiet {
            String::new()
        } else if allowed {
            "yes\n".into()
        } else {
            "no\n".into()
        },
        exit_code: i32::from(!allowed),
        ..Output::default()
    }
}

/// The RBAC authorizer: allowed if a rule of a role bound to the identity (cluster-wide, or
/// in the request's namespace) covers the request. `system:masters` is always allowed. Also
/// the first unmodelled built-in ClusterRole a matching binding names.
fn authorize(world: &World, id: &Identity, req: &Request) -> (bool, Option<String>) {
    if id.groups.iter().any(|g| g == "system:masters") {
        return (true, None);
    }
    let mut unmodelled = None;
    let mut allowed = default_rules(id).iter().any(|r| rule_allows(r, req));
    let mut visit = |role_kind: &str, role_name: &str, role_ns: &str| {
        let rules = role_rules(world, role_kind, role_name, role_ns);
        match rules {
            Some(rules) => allowed |= rules.iter().any(|r| rule_allows(r, req)),
            None if role_kind == "ClusterRole" && role_name == "cluster-admin" => allowed = true,
            None if role_kind == "ClusterRole" && (UNMODELLED_ROLES.contains(&role_name) || role_name.starts_with("system:")) => {
                unmodelled.get_or_insert_with(|| role_name.to_string());
            }
            None => {}
        }
    };
    for o in world.store().list(Kind::ClusterRoleBinding, None) {
        if let Object::ClusterRoleBinding(b) = o {
            if b.subjects.iter().flatten().any(|s| id.is_subject(s, "")) {
                visit(&b.role_ref.kind, &b.role_ref.name, "");
            }
        }
    }
    if !req.namespace.is_empty() {
        for o in world.store().list(Kind::RoleBinding, Some(&req.namespace)) {
            if let Object::RoleBinding(b) = o {
                if b.subjects.iter().flatten().any(|s| id.is_subject(s, &req.namespace)) {
                    visit(&b.role_ref.kind, &b.role_ref.name, &req.namespace);
                }
            }
        }
    }
    (allowed, unmodelled)
}

/// The rules of a Role (in `ns`) or ClusterRole, if it exists.
fn role_rules(world: &World, kind: &str, name: &str, ns: &str) -> Option<Vec<PolicyRule>> {
    match kind {
        "Role" => match world.get(Kind::Role, ns, name) {
            Some(Object::Role(r)) => Some(r.rules.clone().unwrap_or_default()),
            _ => None,
        },
        "ClusterRole" => match world.get(Kind::ClusterRole, "", name) {
            Some(Object::ClusterRole(r)) => Some(r.rules.clone().unwrap_or_default()),
            _ => None,
        },
        _ => None,
    }
}

/// `RuleAllows`: verbs, then either the non-resource URL or the API group, resource (with
/// its subresource) and resource name.
fn rule_allows(rule: &PolicyRule, req: &Request) -> bool {
    let has = |list: &Option<Vec<String>>, v: &str| list.iter().flatten().any(|x| x == "*" || x == v);
    if !rule.verbs.iter().any(|v| v == "*" || *v == req.verb) {
        return false;
    }
    if let Some(path) = &req.path {
        return rule
            .non_resource_urls
            .iter()
            .flatten()
            .any(|u| u == "*" || u == path || u.strip_suffix('*').is_some_and(|prefix| path.starts_with(prefix)));
    }
    if !has(&rule.api_groups, &req.group) {
        return false;
    }
    let resource_ok = if req.subresource.is_empty() {
        has(&rule.resources, &req.resource)
    } else {
        let combined = format!("{}/{}", req.resource, req.subresource);
        rule.resources.iter().flatten().any(|r| *r == "*" || *r == combined || *r == format!("*/{}", req.subresource))
    };
    if !resource_ok {
        return false;
    }
    match &rule.resource_names {
        Some(names) if !names.is_empty() => !req.name.is_empty() && names.contains(&req.name),
        _ => true,
    }
}
