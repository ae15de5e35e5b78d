//! The lesson format: what a `lesson.yaml` holds, as Rust types. Unknown keys are errors,
//! so a typo in a lesson pack is reported instead of silently ignored.

use serde::Deserialize;

/// One lesson: metadata, the starting cluster, and its steps.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    /// Expected duration, in minutes.
    pub minutes: u32,
    #[serde(default)]
    pub prerequisites: Vec<String>,
    #[serde(default)]
    pub cluster: Cluster,
    /// Lines run before the learner starts (kubectl commands, `sleep`, `settle`).
    #[serde(default)]
    pub setup: Vec<String>,
    pub steps: Vec<Step>,
    /// The lesson's prose in markdown: inline, or read from `lesson.md` by the loader.
    #[serde(default)]
    pub body: String,
    /// Files the lesson's commands may name with `-f`: inline, or the other files in the
    /// lesson's folder, read by the loader.
    #[serde(default)]
    pub files: std::collections::BTreeMap<String, String>,
}

/// The starting cluster.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    #[serde(default = "one")]
    pub nodes: u32,
    #[serde(default = "one_u64")]
    pub seed: u64,
    /// The ingress controller: `traefik` (k3s's default) or `nginx` (ingress-nginx).
    #[serde(default)]
    pub ingress: Ingress,
}

/// A lesson cluster's ingress controller, as lesson.yaml names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ingress {
    #[default]
    Traefik,
    Nginx,
}

impl Ingress {
    pub fn controller(self) -> kubeplay_sim::topology::IngressController {
        match self {
            Ingress::Traefik => kubeplay_sim::topology::IngressController::Traefik,
            Ingress::Nginx => kubeplay_sim::topology::IngressController::Nginx,
        }
    }
}

fn one() -> u32 {
    1
}

fn one_u64() -> u64 {
    1
}

impl Default for Cluster {
    fn default() -> Cluster {
        Cluster { nodes: 1, seed: 1, ingress: Ingress::Traefik }
    }
}

/// What the learner provides in a step.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    Commands,
    Yaml,
    Both,
}

/// One step of a lesson.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    /// The task, in markdown.
    pub task: String,
    pub input: InputKind,
    /// Progressive hints, shown one at a time.
    #[serde(default)]
    pub hints: Vec<String>,
    /// The virtual-time bound for the cluster to settle, e.g. `120s` (default 5m).
    #[serde(default)]
    pub settle: Option<String>,
    /// Each check is a one-key map (`pods: {...}`), not a YAML tag.
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub checks: Vec<Check>,
    /// Reference solutions: each must pass.
    pub solutions: Vec<Answer>,
    /// Known-wrong answers: each must fail, with its feedback in the verdict.
    #[serde(default)]
    pub wrong: Vec<WrongAnswer>,
}

/// A learner's (or a reference) answer.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// YAML applied as if with `kubectl apply -f -`.
    #[serde(default)]
    pub yaml: Option<String>,
    /// Terminal lines, in order.
    #[serde(default)]
    pub commands: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WrongAnswer {
    #[serde(flatten)]
    pub answer: Answer,
    /// Text the verdict's explanations must contain, so the learner is told why.
    pub feedback: String,
}

/// A declarative assertion on the settled cluster.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// An object exists, optionally with field values.
    Exists(ObjectCheck),
    /// An object does not exist.
    Absent(ObjectRef),
    /// Pods matching a label selector: how many, and how many Running / Ready.
    Pods(PodsCheck),
    /// A Deployment's rollout is complete (all replicas updated and available).
    RolloutComplete(ObjectRef),
    /// A Service has this many ready endpoints.
    Endpoints(EndpointsCheck),
    /// An event with this reason exists (optionally about one object).
    Event(EventCheck),
    /// A container's logs contain a line.
    Logs(LogsCheck),
    /// HTTP from the laptop (NodePort, LoadBalancer, Ingress): status, body, and how many
    /// pods answer N requests.
    Http(HttpCheck),
    /// The share of N requests from the laptop that pods matching a selector answer, in
    /// percent, between a minimum and a maximum (e.g. an ingress-nginx canary's weight).
    Share(ShareCheck),
    /// A file inside the pods matching a selector (all of them, at least one): that data
    /// written before a pod was replaced is still there.
    File(FileCheck),
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileCheck {
    /// Label selector of the pods to look in (those not terminating).
    pub selector: String,
    #[serde(default)]
    pub namespace: Option<String>,
    /// Default: each pod's first container.
    #[serde(default)]
    pub container: Option<String>,
    /// Absolute path inside the container.
    pub path: String,
    /// Text the file must contain (default: it must exist).
    #[serde(default)]
    pub contains: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HttpCheck {
    /// e.g. `http://10.0.0.2/` (the k3s-server node) or `http://10.0.0.2:30080/`.
    pub url: String,
    /// The Host header (for ingress rules).
    #[serde(default)]
    pub host: Option<String>,
    /// Other request headers, e.g. `{X-Canary: always}`.
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
    #[serde(default = "status_200")]
    pub status: u16,
    #[serde(default)]
    pub body_contains: Option<String>,
    /// How many requests to send (default 1).
    #[serde(default)]
    pub requests: Option<u32>,
    /// At least this many distinct pods must answer.
    #[serde(default)]
    pub min_pods: Option<u32>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ShareCheck {
    /// e.g. `http://10.0.0.2/`.
    pub url: String,
    /// The Host header (for ingress rules).
    #[serde(default)]
    pub host: Option<String>,
    /// Other request headers.
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
    /// How many requests to send (default 400, at most 5000). Requests draw from the
    /// seeded RNG, so leave a margin: a weight of 10% gives roughly 6% to 14% of 400.
    #[serde(default)]
    pub requests: Option<u32>,
    /// Label selector of the pods whose answers are counted.
    pub selector: String,
    /// Where those pods are (default `default`).
    #[serde(default)]
    pub namespace: Option<String>,
    /// The least and the most share, in percent, inclusive.
    pub min_percent: f64,
    pub max_percent: f64,
}

fn status_200() -> u16 {
    200
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObjectCheck {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
    /// Field path (`spec.replicas`, `spec.template.spec.containers[0].image`) → expected value.
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, serde_yaml::Value>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PodsCheck {
    pub selector: String,
    #[serde(default)]
    pub namespace: Option<String>,
    /// Total pods (not terminating).
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub running: Option<u32>,
    #[serde(default)]
    pub ready: Option<u32>,
    /// Pods whose kubectl STATUS is this (e.g. `Completed`), counted by `status_count`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub status_count: Option<u32>,
    /// Every pod runs this image.
    #[serde(default)]
    pub image: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EndpointsCheck {
    pub service: String,
    #[serde(default)]
    pub namespace: Option<String>,
    pub ready: u32,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventCheck {
    pub reason: String,
    #[serde(default)]
    pub object: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LogsCheck {
    /// The pod by name; or `selector` for whichever pods match (any of them will do), which
    /// suits a Deployment's generated pod names.
    #[serde(default)]
    pub pod: Option<String>,
    #[serde(default)]
    pub selector: Option<String>,
    #[serde(default)]
    pub container: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
    pub contains: String,
}
