//! ServiceAccount tokens: the token controller, which fills a `kubernetes.io/service-account-token`
//! Secret with the cluster CA, the namespace and a token for its ServiceAccount (and deletes
//! one whose ServiceAccount is gone), and the TokenRequest API behind `kubectl create token`.
//!
//! The tokens are shaped as the API server's JWTs are (RS256 header, the same claims), but
//! their signature says they are kubeplay's: nothing here can verify one.

use crate::kinds::{Kind, Object};
use crate::store::ObjRef;
use crate::world::{Outcome, World, Write};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::ByteString;

pub const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
pub const NAME_KEY: &str = "kubernetes.io/service-account.name";
pub const UID_KEY: &str = "kubernetes.io/service-account.uid";

/// The API server's issuer (k3s's default service-account-issuer).
const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";

fn jwt(claims: &serde_json::Value) -> String {
    use base64::Engine;
    let b64 = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let header = serde_json::json!({"alg": "RS256", "kid": "kubeplay"});
    format!("{}.{}.kubeplay-simulated-signature", b64(&header), b64(claims))
}

/// The ServiceAccount a token Secret is for (its annotation).
fn account_of(s: &core::Secret) -> Option<String> {
    s.metadata.annotations.as_ref().and_then(|a| a.get(NAME_KEY)).cloned()
}

/// The token Secrets of a namespace that name `account`.
pub fn secrets_for(world: &World, ns: &str, account: &str) -> Vec<ObjRef> {
    world
        .store()
        .list(Kind::Secret, Some(ns))
        .filter(|o| match o {
            Object::Secret(s) => s.type_.as_deref() == Some(TOKEN_TYPE) && account_of(s).as_deref() == Some(account),
            _ => false,
        })
        .map(ObjRef::of)
        .collect()
}

/// The token controller's sync of one Secret.
pub fn reconcile(world: &World, r: &ObjRef) -> Outcome {
    let mut out = Outcome::default();
    let Some(Object::Secret(s)) = world.store().get_ref(r) else { return out };
    if s.type_.as_deref() != Some(TOKEN_TYPE) || s.metadata.deletion_timestamp.is_some() {
        return out;
    }
    let Some(account) = account_of(s) else { return out };
    let sa = match world.store().get(Kind::ServiceAccount, &r.namespace, &account) {
        Some(Object::ServiceAccount(sa)) => sa,
        _ => {
            // A token for a ServiceAccount that does not exist is deleted.
            out.writes.push(Write::Delete(r.clone(), crate::api::Propagation::Background));
            return out;
        }
    };
    let sa_uid = sa.metadata.uid.clone().unwrap_or_default();
    let annotated_uid = s.metadata.annotations.as_ref().and_then(|a| a.get(UID_KEY)).cloned();
    if annotated_uid.as_ref().is_some_and(|u| *u != sa_uid) {
        // Made for an earlier ServiceAccount of that name.
        out.writes.push(Write::Delete(r.clone(), crate::api::Propagation::Background));
        return out;
    }
    let data = s.data.clone().unwrap_or_default();
    if annotated_uid.is_some() && data.contains_key("token") && data.contains_key("ca.crt") && data.contains_key("namespace") {
        return out;
    }
    let mut next = s.clone();
    next.metadata.annotations.get_or_insert_with(Default::default).insert(UID_KEY.into(), sa_uid.clone());
    let ca = match world.store().get(Kind::ConfigMap, &r.namespace, "kube-root-ca.crt") {
        Some(Object::ConfigMap(cm)) => cm.data.as_ref().and_then(|d| d.get("ca.crt")).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let ns = r.namespace.clone();
    let token = jwt(&serde_json::json!({
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": ns,
        "kubernetes.io/serviceaccount/secret.name": r.name,
        "kubernetes.io/serviceaccount/service-account.name": account,
        "kubernetes.io/serviceaccount/service-account.uid": sa_uid,
        "sub": format!("system:serviceaccount:{ns}:{account}"),
    }));
    let d = next.data.get_or_insert_with(Default::default);
    d.insert("ca.crt".into(), ByteString(ca.into_bytes()));
    d.insert("namespace".into(), ByteString(ns.into_bytes()));
    d.insert("token".into(), ByteString(token.into_bytes()));
    next.metadata.resource_version = None;
    out.writes.push(Write::Update(Object::Secret(next)));
    out
}

/// The TokenRequest API (`kubectl create token`): a token for `account` valid for
/// `seconds`, or the API's error when the ServiceAccount does not exist.
pub fn request(world: &mut World, ns: &str, account: &str, seconds: u64) -> Result<String, crate::errors::ApiError> {
    let uid = match world.store().get(Kind::ServiceAccount, ns, account) {
        Some(Object::ServiceAccount(sa)) => sa.metadata.uid.clone().unwrap_or_default(),
        _ => return Err(crate::errors::ApiError::not_found(Kind::ServiceAccount, account)),
    };
    let now = (crate::world::EPOCH_UNIX_MS as u64 + world.now_ms()) / 1000;
    let jti = world.rng.uuid();
    Ok(jwt(&serde_json::json!({
        "aud": [ISSUER, "k3s"],
        "exp": now + seconds,
        "iat": now,
        "iss": ISSUER,
        "jti": jti,
        "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": account, "uid": uid}},
        "nbf": now,
        "sub": format!("system:serviceaccount:{ns}:{account}"),
    })))
}
