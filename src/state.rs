//! The page state and its one reducer. Actions in, new state out; no IO here.

use kubeplay_kubectl::{Env, NoFiles};
use kubeplay_sim::World;
use std::rc::Rc;
use yew::Reducible;

/// The Deployment the editor starts with.
pub const SAMPLE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Command,
    Out,
    Err,
}

#[derive(Clone, PartialEq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

#[derive(Clone)]
pub struct AppState {
    pub world: World,
    pub editor: String,
    pub terminal: Vec<Line>,
    /// Where the last apply's YAML error is, for the editor's marker.
    pub marker: Option<String>,
}

pub enum Action {
    Edit(String),
    Apply,
    ResetEditor,
}

impl AppState {
    pub fn new() -> AppState {
        AppState { world: World::new(1), editor: SAMPLE.to_string(), terminal: Vec::new(), marker: None }
    }
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.editor == other.editor && self.terminal == other.terminal && self.marker == other.marker
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(text) => s.editor = text,
            Action::ResetEditor => {
                s.editor = SAMPLE.to_string();
                s.marker = None;
            }
            Action::Apply => {
                let cmd = "kubectl apply -f -";
                s.terminal.push(Line { kind: LineKind::Command, text: format!("$ {cmd}\n") });
                let env = Env { files: &NoFiles, stdin: Some(&s.editor) };
                let out = kubeplay_kubectl::run(&mut s.world, cmd, &env);
                if !out.stdout.is_empty() {
                    s.terminal.push(Line { kind: LineKind::Out, text: out.stdout.clone() });
                }
                if !out.stderr.is_empty() {
                    s.terminal.push(Line { kind: LineKind::Err, text: out.stderr.clone() });
                }
                s.marker = kubeplay_sim::decode::parse_manifests(&s.editor)
                    .err()
                    .map(|e| format!("line {}, column {}: {}", e.line, e.column, e.problem));
            }
        }
        Rc::new(s)
    }
}
