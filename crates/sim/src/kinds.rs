//! The object kinds the simulated API server serves: their Rust types (k8s-openapi), API
//! metadata (group, version, plural, short names, scope) and per-kind dispatch.

use k8s_openapi::api::{
    apps::v1 as apps, autoscaling::v2 as autoscaling, batch::v1 as batch, core::v1 as core, discovery::v1 as discovery,
    networking::v1 as networking, policy::v1 as policy, rbac::v1 as rbac, scheduling::v1 as scheduling, storage::v1 as storage,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1 as apiregistration;
use serde_json::Value;

/// API metadata of one kind, as discovery would report it.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: &'static str,
    /// API group, "" for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short: &'static [&'static str],
    pub namespaced: bool,
}

impl KindInfo {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `deployments.apps`, or `pods` for the core group: the name kubectl uses in messages.
    pub fn resource_group(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// `deployment.apps`, or `pod`: the prefix kubectl prints before `/name`.
    pub fn singular_group(&self) -> String {
        if self.group.is_empty() {
            self.singular.to_string()
        } else {
            format!("{}.{}", self.singular, self.group)
        }
    }
}

/// A pod condition's `lastProbeTime` and `lastTransitionTime` are `metav1.Time` values, not
/// pointers, so Go's encoder writes an unset one as `null` (`omitempty` cannot drop a
/// struct); k8s-openapi's `Option` leaves them out. The API server's JSON has them, and so
/// does what kubectl prints from it.
fn go_null_times(pod: &mut Value) {
    let conditions = pod.pointer_mut("/status/conditions").and_then(Value::as_array_mut);
    for c in conditions.into_iter().flatten().filter_map(Value::as_object_mut) {
        if c.contains_key("lastProbeTime") && c.contains_key("lastTransitionTime") {
            continue;
        }
        for key in ["lastProbeTime", "lastTransitionTime"] {
            c.entry(key).or_insert(Value::Null);
        }
        // Keys in the order Go writes a struct's fields (alphabetical for this type).
        c.sort_keys();
    }
}

/// The path of a field that the typed decode did not know, formatted as the API server
/// formats it in strict decoding errors (`spec.replica`, `spec.containers[0].imagee`).
pub fn format_ignored_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{}]", format_ignored_path(parent), index),
        Path::Map { parent, key } => {
            let p = format_ignored_path(parent);
            if p.is_empty() {
                key.clone()
            } else {
                format!("{p}.{key}")
            }
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => format_ignored_path(parent),
    }
}

/// Every typed decode in kubeplay goes through this one deserializer type, so each
/// k8s-openapi type's `Deserialize` is instantiated once (see the wasm toolchain note).
type UnknownSink<'a> = &'a mut dyn FnMut(serde_ignored::Path<'_>);

pub fn decode<T: serde::de::DeserializeOwned>(value: Value, unknown: &mut Vec<String>) -> Result<T, String> {
    let mut sink = |p: serde_ignored::Path<'_>| unknown.push(format_ignored_path(&p));
    let sink: UnknownSink<'_> = &mut sink;
    serde_ignored::deserialize(value, sink).map_err(|e| e.to_string())
}

macro_rules! kinds {
    ($( $variant:ident => $ty:ty {
        $group:expr, $version:expr, $plural:expr, $singular:expr, $namespaced:expr, [$($short:expr),*]
    } ),* $(,)?) => {
        /// A kind the store serves. The order is the store's iteration order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($variant),* }

        /// One stored object, typed. Each variant is boxed, so an `Object` is two words and
        /// an Event costs its own ~1 KB rather than the largest kind's ~3.5 KB; moving one
        /// (into a write, out of the store) copies a pointer.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object { $($variant(Box<$ty>)),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            pub fn info(self) -> &'static KindInfo {
                match self {
                    $(Kind::$variant => &KindInfo {
                        kind: stringify!($variant),
                        group: $group,
                        version: $version,
                        plural: $plural,
                        singular: $singular,
                        short: &[$($short),*],
                        namespaced: $namespaced,
                    }),*
                }
            }
        }

        impl Object {
            pub fn kind(&self) -> Kind {
                match self { $(Object::$variant(_) => Kind::$variant),* }
            }

            pub fn meta(&self) -> &ObjectMeta {
                match self { $(Object::$variant(o) => &o.metadata),* }
            }

            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$variant(o) => &mut o.metadata),* }
            }

            /// The object as JSON, with apiVersion and kind, as the API server returns it.
            pub fn to_value(&self) -> Value {
                let v = match self { $(Object::$variant(o) => serde_json::to_value(o)),* };
                // Serializing k8s-openapi types cannot fail: all map keys are strings.
                let mut v = v.unwrap_or(Value::Null);
                if matches!(self, Object::Pod(_)) {
                    go_null_times(&mut v);
                }
                v
            }

            /// Decodes a JSON value into the typed object of `kind`. Fields the type does not
            /// know are pushed to `unknown` as paths.
            pub fn from_value(kind: Kind, value: Value, unknown: &mut Vec<String>) -> Result<Object, String> {
                match kind { $(Kind::$variant => decode::<$ty>(value, unknown).map(|o| Object::$variant(Box::new(o)))),* }
            }
        }

        $(impl From<$ty> for Object {
            fn from(o: $ty) -> Object { Object::$variant(Box::new(o)) }
        })*
    };
}

kinds! {
    Namespace => core::Namespace { "", "v1", "namespaces", "namespace", false, ["ns"] },
    Node => core::Node { "", "v1", "nodes", "node", false, ["no"] },
    Pod => core::Pod { "", "v1", "pods", "pod", true, ["po"] },
    Service => core::Service { "", "v1", "services", "service", true, ["svc"] },
    Endpoints => core::Endpoints { "", "v1", "endpoints", "endpoints", true, ["ep"] },
    ConfigMap => core::ConfigMap { "", "v1", "configmaps", "configmap", true, ["cm"] },
    Secret => core::Secret { "", "v1", "secrets", "secret", true, [] },
    PersistentVolume => core::PersistentVolume { "", "v1", "persistentvolumes", "persistentvolume", false, ["pv"] },
    PersistentVolumeClaim => core::PersistentVolumeClaim { "", "v1", "persistentvolumeclaims", "persistentvolumeclaim", true, ["pvc"] },
    ServiceAccount => core::ServiceAccount { "", "v1", "serviceaccounts", "serviceaccount", true, ["sa"] },
    ResourceQuota => core::ResourceQuota { "", "v1", "resourcequotas", "resourcequota", true, ["quota"] },
    LimitRange => core::LimitRange { "", "v1", "limitranges", "limitrange", true, ["limits"] },
    Event => core::Event { "", "v1", "events", "event", true, ["ev"] },
    Deployment => apps::Deployment { "apps", "v1", "deployments", "deployment", true, ["deploy"] },
    ReplicaSet => apps::ReplicaSet { "apps", "v1", "replicasets", "replicaset", true, ["rs"] },
    StatefulSet => apps::StatefulSet { "apps", "v1", "statefulsets", "statefulset", true, ["sts"] },
    DaemonSet => apps::DaemonSet { "apps", "v1", "daemonsets", "daemonset", true, ["ds"] },
    ControllerRevision => apps::ControllerRevision { "apps", "v1", "controllerrevisions", "controllerrevision", true, [] },
    Job => batch::Job { "batch", "v1", "jobs", "job", true, [] },
    CronJob => batch::CronJob { "batch", "v1", "cronjobs", "cronjob", true, ["cj"] },
    EndpointSlice => discovery::EndpointSlice { "discovery.k8s.io", "v1", "endpointslices", "endpointslice", true, [] },
    Ingress => networking::Ingress { "networking.k8s.io", "v1", "ingresses", "ingress", true, ["ing"] },
    IngressClass => networking::IngressClass { "networking.k8s.io", "v1", "ingressclasses", "ingressclass", false, [] },
    StorageClass => storage::StorageClass { "storage.k8s.io", "v1", "storageclasses", "storageclass", false, ["sc"] },
    HorizontalPodAutoscaler => autoscaling::HorizontalPodAutoscaler { "autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", true, ["hpa"] },
    PodDisruptionBudget => policy::PodDisruptionBudget { "policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", true, ["pdb"] },
    PriorityClass => scheduling::PriorityClass { "scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", false, ["pc"] },
    // Enforced on connections between pods (`netpol.rs`).
    NetworkPolicy => networking::NetworkPolicy { "networking.k8s.io", "v1", "networkpolicies", "networkpolicy", true, ["netpol"] },
    Role => rbac::Role { "rbac.authorization.k8s.io", "v1", "roles", "role", true, [] },
    RoleBinding => rbac::RoleBinding { "rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", true, [] },
    ClusterRole => rbac::ClusterRole { "rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", false, [] },
    ClusterRoleBinding => rbac::ClusterRoleBinding { "rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", false, [] },
    // The aggregator's registrations: one per group version served (`boot::api_services`).
    APIService => apiregistration::APIService { "apiregistration.k8s.io", "v1", "apiservices", "apiservice", false, [] },
    // Last, so that adding it moved no other kind in the store's order.
    ReplicationController => core::ReplicationController { "", "v1", "replicationcontrollers", "replicationcontroller", true, ["rc"] },
}

/// The group versions the API server serves (`kubectl api-versions`, and an APIService
/// each): those of the kinds kubeplay stores, autoscaling/v1 beside v2, the authentication
/// and authorization groups (`auth can-i`, `auth whoami`), and metrics-server's
/// metrics.k8s.io. Sorted as kubectl sorts them, `v1` last.
pub fn served_group_versions() -> Vec<String> {
    let mut versions: Vec<String> = Kind::ALL.iter().map(|k| k.info().api_version()).collect();
    versions.extend(
        ["autoscaling/v1", "authentication.k8s.io/v1", "authorization.k8s.io/v1", "metrics.k8s.io/v1beta1"].map(String::from),
    );
    versions.sort();
    versions.dedup();
    versions
}

impl Object {
    /// The status subresource's write: `self` (an object as a controller last saw it, with
    /// the status it sets) takes `live`'s metadata and spec, cloned only where they differ.
    /// Returns the object to store and whether its status changed; `None` for kinds without
    /// a status, or when the kinds differ.
    pub fn rebase_status_onto(self, live: &Object) -> Option<(Object, bool)> {
        macro_rules! rebase {
            ($($v:ident),*) => {
                match (self, live) {
                    $((Object::$v(mut a), Object::$v(b)) => {
                        if a.metadata != b.metadata {
                            a.metadata = b.metadata.clone();
                        }
                        if a.spec != b.spec {
                            a.spec = b.spec.clone();
                        }
                        let changed = a.status != b.status;
                        Some((Object::$v(a), changed))
                    })*
                    _ => None,
                }
            };
        }
        rebase!(
            Pod,
            Node,
            Namespace,
            Service,
            PersistentVolume,
            PersistentVolumeClaim,
            Deployment,
            ReplicaSet,
            ReplicationController,
            StatefulSet,
            DaemonSet,
            Job,
            CronJob,
            Ingress,
            ResourceQuota,
            PodDisruptionBudget,
            HorizontalPodAutoscaler
        )
    }

    /// Whether two objects of the same kind have equal specs (for generation bumps).
    pub fn same_spec(&self, other: &Object) -> bool {
        macro_rules! same {
            ($($v:ident),*) => {
                match (self, other) {
                    $((Object::$v(a), Object::$v(b)) => a.spec == b.spec,)*
                    _ => self.to_value().get("spec") == other.to_value().get("spec"),
                }
            };
        }
        same!(Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob, PodDisruptionBudget)
    }
}

impl Kind {
    /// Finds the kind served at `apiVersion` + `kind`, as a manifest names it.
    /// For kinds the API stores and kubectl shows but the simulation does not act on, what
    /// the learner should know (printed as a kubeplay note when such objects are written).
    pub fn not_enforced(self) -> Option<&'static str> {
        match self {
            Kind::Role | Kind::RoleBinding | Kind::ClusterRole | Kind::ClusterRoleBinding => Some(
                "kubeplay: RBAC objects are stored but not enforced: every command here runs as cluster-admin, and pods' service accounts are not checked (`kubectl auth can-i --as` answers from them)",
            ),
            _ => None,
        }
    }

    /// The kubeplay note for writing `obj`: its kind's (`not_enforced`), or, for a
    /// NetworkPolicy with egress rules, what kubeplay does not filter.
    pub fn note_for(obj: &Object) -> Option<&'static str> {
        match obj {
            Object::NetworkPolicy(np) if np.spec.as_ref().is_some_and(|s| {
                s.egress.is_some() || s.policy_types.iter().flatten().any(|t| t == "Egress")
            }) =>
            {
                Some("kubeplay: egress rules filter connections to pods; DNS lookups are answered whatever they say (k3s would drop them too)")
            }
            _ => obj.kind().not_enforced(),
        }
    }

    pub fn from_api_version_kind(api_version: &str, kind: &str) -> Option<Kind> {
        // Compared piecewise: this runs for every ownerReference the store indexes.
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        Kind::ALL.iter().copied().find(|k| {
            let i = k.info();
            i.kind == kind && i.version == version && i.group == group
        })
    }

    /// The fields besides `metadata.name` and `metadata.namespace` that a field selector may
    /// use on this kind, for the kinds whose API group registers a field label conversion
    /// (which refuses others with "field label not supported"); `None` for the rest, which
    /// take only the two metadata fields.
    pub fn field_labels(self) -> Option<&'static [&'static str]> {
        Some(match self {
            Kind::Pod => &[
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "spec.hostNetwork",
                "status.phase",
                "status.podIP",
                "status.podIPs",
                "status.nominatedNodeName",
            ],
            Kind::Event => &[
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type",
            ],
            Kind::Secret => &["type"],
            Kind::Node => &["spec.unschedulable"],
            Kind::Namespace => &["status.phase"],
            Kind::ReplicaSet | Kind::ReplicationController => &["status.replicas"],
            Kind::Job => &["status.successful"],
            Kind::Service => &["spec.clusterIP", "spec.type"],
            _ => return None,
        })
    }

    /// The API server's answer to a field selector on `label` for this kind, if it refuses it.
    pub fn field_selector_error(self, label: &str) -> Option<String> {
        // Namespaces' and Nodes' conversions know no metadata.namespace.
        let cluster_scoped = matches!(self, Kind::Namespace | Kind::Node);
        if label == "metadata.name" || (label == "metadata.namespace" && !cluster_scoped) {
            return None;
        }
        match self.field_labels() {
            Some(allowed) if allowed.contains(&label) => None,
            Some(_) => Some(format!("field label not supported: {label}")),
            None => Some(format!("{label:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")),
        }
    }

    /// Finds a kind by what a kubectl user may type: plural, singular, short name or kind,
    /// case-insensitively, optionally qualified by group (`deployments.apps`).
    pub fn from_resource_name(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        let (base, group) = match lower.split_once('.') {
            Some((b, g)) => {
                // `deployment.v1.apps`: resource.version.group.
                let g = match g.split_once('.') {
                    Some((v, rest)) if v.starts_with('v') && v[1..].starts_with(|c: char| c.is_ascii_digit()) => rest,
                    _ if g.starts_with('v')
                        && g[1..].chars().all(|c| c.is_ascii_alphanumeric())
                        && g.len() <= 8
                        && g[1..].starts_with(|c: char| c.is_ascii_digit()) =>
                    {
                        "core"
                    }
                    _ => g,
                };
                (b.to_string(), Some(g.to_string()))
            }
            None => (lower.clone(), None),
        };
        Kind::ALL.iter().copied().find(|k| {
            let i = k.info();
            let name_ok =
                i.plural == base || i.singular == base || i.kind.eq_ignore_ascii_case(&base) || i.short.contains(&base.as_str());
            let group_ok = match &group {
                None => true,
                Some(g) => i.group == g || (i.group.is_empty() && g == "core"),
            };
            name_ok && group_ok
        })
    }
}
