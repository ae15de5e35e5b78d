//! The page state and its one reducer. Actions in, new state out; the only effects (the
//! clock's ticks) are dispatched from the edge in `lib.rs`.

use kubeplay_kubectl::{Env, Files};
use kubeplay_lessons::demo::Demo;
use kubeplay_lessons::{CheckResult, Lesson};
use kubeplay_sim::World;
use std::cell::RefCell;
use std::collections::BTreeMap;
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

/// The most simulation events one clock tick may run, so a tick never blocks the page.
pub const TICK_EVENT_BOUND: u64 = 300;
/// Events a replay (share link, undo, rewind) may run between two logged lines.
const REPLAY_BOUND: u64 = 1_000_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LineKind {
    Command,
    Out,
    Err,
    /// kubeplay's own remark on a simplification (not kubectl output).
    Note,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

/// How fast virtual time runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Speed {
    Paused,
    X1,
    X10,
    X100,
}

impl Speed {
    pub fn factor(self) -> u64 {
        match self {
            Speed::Paused => 0,
            Speed::X1 => 1,
            Speed::X10 => 10,
            Speed::X100 => 100,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::Paused => "paused",
            Speed::X1 => "1×",
            Speed::X10 => "10×",
            Speed::X100 => "100×",
        }
    }
}

/// The lessons bundled into the page (see build.rs).
pub fn bundled_lessons() -> Vec<Lesson> {
    kubeplay_lessons::load::parse_pack_json(include_str!(concat!(env!("OUT_DIR"), "/lessons.json")))
        .map(|p| p.lessons)
        .unwrap_or_default()
}

/// Where the learner is in a lesson.
#[derive(Clone, PartialEq, Debug)]
pub struct LessonState {
    pub index: usize,
    pub step: usize,
    /// What the learner ran in this step: each line with the editor text it could read.
    pub recorded: Vec<(String, Option<String>)>,
    pub verdict: Option<(bool, Vec<CheckResult>)>,
    pub hints_shown: usize,
}

/// Steps completed, per lesson id (kept in localStorage by the page).
pub type Progress = BTreeMap<String, usize>;

struct LessonFiles(BTreeMap<String, String>);

impl Files for LessonFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0.get(path.trim_start_matches("./")).cloned().ok_or_else(|| format!("the path {path:?} does not exist"))
    }
}

#[derive(Clone)]
pub struct AppState {
    /// The cluster. Shared and mutated in place by the reducer; `version` tells views it changed.
    pub world: Rc<RefCell<World>>,
    pub version: u64,
    pub editor: String,
    pub terminal: Vec<Line>,
    pub history: Vec<String>,
    pub speed: Speed,
    pub lessons: Rc<Vec<Lesson>>,
    /// `None` in the sandbox.
    pub lesson: Option<LessonState>,
    pub progress: Progress,
    /// Where the last apply's errors are, for the editor's markers.
    pub markers: Vec<kubeplay_kubectl::Diagnostic>,
    /// The pods that answered the last `curl`/`traffic`, which the map flashes; the number
    /// counts commands so the same pods flash again on the next one.
    pub hits: (u64, Vec<String>),
    /// The terminal's shell variables (`export NAME=...`).
    pub shell: kubeplay_kubectl::shell::Shell,
    /// The bundled demo scripts (presenter mode).
    pub demos: Rc<Vec<Demo>>,
    /// The demo being presented, if any.
    pub demo: Option<DemoState>,
    /// Every line run since the cluster was (re)started, with its virtual time: what a
    /// shareable link replays.
    pub session: crate::share::Shared,
    /// The name of a lesson pack loaded from a file, when one replaces the built-in track.
    pub pack: Option<String>,
    /// A settle too big for one frame, running in chunks between frames.
    pub settling: Option<Settling>,
}

/// A settle in progress (`Action::Settle` that did not finish in its first chunk).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Settling {
    /// Events run so far.
    pub events: u64,
    /// Virtual time when it started.
    pub from_ms: u64,
}

/// Events one chunk of a settle runs before the page yields to the browser (a few ms in
/// wasm on a small cluster; big clusters take several chunks, with a stop button).
pub const SETTLE_CHUNK: u64 = 200;

/// Where a speaker is in a demo.
#[derive(Clone, PartialEq, Debug)]
pub struct DemoState {
    pub index: usize,
    /// How many steps have been played.
    pub step: usize,
}

/// How a single-event `step` of the clock appears in a session log.
const STEP_LINE: &str = "#step";
/// How a settle stopped part-way appears in a session log: `#steps N`, the events it ran.
const STEPS_PREFIX: &str = "#steps ";

/// The demo scripts shipped with the page (`demos/`).
pub fn bundled_demos() -> Vec<Demo> {
    // build.rs bundles demos/*.yaml as one JSON array.
    let all: Vec<serde_json::Value> =
        serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/demos.json"))).unwrap_or_default();
    all.into_iter().filter_map(|d| kubeplay_lessons::demo::from_json(d).ok()).collect()
}

pub enum Action {
    Edit(String),
    Apply,
    ResetEditor,
    /// Run a terminal line: a kubectl command, `sleep`, `settle` or `clear`.
    Run(String),
    /// Run pasted lines as a script: each command in turn, a heredoc's lines as its input.
    Paste(String),
    ClearTerminal,
    /// Present demo N (a fresh cluster from its seed), or leave presenter mode (`None`).
    OpenDemo(Option<usize>),
    /// Play the demo's next step.
    DemoNext,
    /// Rebuild a shared session from a link.
    OpenShared(crate::share::Shared),
    /// Undo the last terminal line: replay the session without it, to the moment before it.
    Undo,
    /// Rewind to the moment before command `k` of the session (0-based): replay the ones
    /// before it; what the learner does next branches from there.
    RewindTo(usize),
    /// A lesson pack's file (name, text) to use instead of the built-in track.
    LoadPack(String, String),
    /// Back to the built-in lessons.
    BuiltinLessons,
    /// Tell the learner something in the terminal (an error when it is one).
    Notice(String, bool),
    /// Go back one step: rebuild the cluster and replay the steps before it.
    DemoPrev,
    /// Tab found several completions for the line: list them, as a shell does.
    ShowCompletions(String, Vec<String>),
    /// Real milliseconds passed; advance virtual time by them times the speed.
    Tick(u64),
    SetSpeed(Speed),
    Step,
    Settle,
    /// Run the next chunk of a settle in progress.
    SettleMore,
    /// Stop a settle in progress where it is.
    StopSettle,
    /// Open lesson N at its first unfinished step, or the sandbox (`None`).
    OpenLesson(Option<usize>),
    GotoStep(usize),
    ShowHint,
    Check,
}

impl AppState {
    pub fn new() -> AppState {
        AppState::with_progress(Progress::new())
    }

    pub fn with_progress(progress: Progress) -> AppState {
        AppState {
            lessons: Rc::new(bundled_lessons()),
            lesson: None,
            progress,
            world: Rc::new(RefCell::new(World::new(1))),
            shell: Default::default(),
            demos: Rc::new(bundled_demos()),
            demo: None,
            session: crate::share::Shared::new(None, String::new(), 0, 0),
            pack: None,
            settling: None,
            version: 0,
            editor: SAMPLE.to_string(),
            terminal: vec![Line {
                kind: LineKind::Out,
                text: "Welcome to kubeplay: a one-node k3s cluster runs in this page. Try: kubectl get nodes\n".into(),
            }],
            history: Vec::new(),
            speed: Speed::X1,
            markers: Vec::new(),
            hits: (0, Vec::new()),
        }
    }

    /// Starts demo `index` afresh and plays its first `steps` steps: the same screens every
    /// time, since the cluster is rebuilt from the demo's seed.
    fn play_demo_to(&mut self, index: usize, steps: usize) {
        let Some(demo) = self.demos.get(index).cloned() else { return };
        self.lesson = None;
        *self.world.borrow_mut() = kubeplay_lessons::demo::start(&demo);
        self.shell = Default::default();
        self.speed = Speed::Paused;
        self.markers.clear();
        self.terminal = vec![Line { kind: LineKind::Out, text: format!("Demo: {}\n", demo.title) }];
        for k in 0..steps.min(demo.steps.len()) {
            self.play_demo_step(index, k);
        }
        self.demo = Some(DemoState { index, step: steps.min(demo.steps.len()) });
        self.version += 1;
    }

    /// The fragment of a link to this session, or why there is none.
    pub fn share_fragment(&self) -> Result<String, String> {
        if self.demo.is_some() {
            return Err("a demo is not shared as a link: share its script file instead".into());
        }
        let world = self.world.borrow();
        let mut sh = self.session.clone();
        sh.editor = self.editor.clone();
        sh.now = world.now_ms();
        sh.hash = format!("{:016x}", world.state_hash());
        crate::share::encode(&sh)
    }

    /// Rebuilds a session: the lesson step (or sandbox), then its lines at their virtual
    /// times, then the clock to where it was. `false` (with a message) when it cannot.
    /// Replays the session's first `k` commands and stops at the moment command `k` ran.
    fn rewind_to(&mut self, k: usize) -> bool {
        let mut sh = self.session.clone();
        let Some(at) = sh.log.get(k).map(|e| e.t) else { return false };
        sh.log.truncate(k);
        sh.now = at;
        sh.editor = self.editor.clone();
        let history = self.history.clone();
        let ok = self.replay(&sh);
        if ok {
            self.history = history;
        }
        ok
    }

    fn replay(&mut self, sh: &crate::share::Shared) -> bool {
        self.demo = None;
        match &sh.lesson {
            Some((id, step)) => match self.lessons.iter().position(|l| &l.id == id) {
                Some(i) => self.open(i, *step),
                None => {
                    self.terminal.push(Line {
                        kind: LineKind::Err,
                        text: format!("This link is for a lesson this page does not have ({id}).\n"),
                    });
                    return false;
                }
            },
            None => {
                self.lesson = None;
                *self.world.borrow_mut() = World::new(1);
                self.session = crate::share::Shared::new(None, String::new(), 0, 0);
                self.shell = Default::default();
                self.terminal.clear();
            }
        }
        for e in &sh.log {
            let now = self.world.borrow().now_ms();
            if e.t > now {
                self.world.borrow_mut().run_for(e.t - now, REPLAY_BOUND);
            }
            if e.line == STEP_LINE {
                self.session.push(e.t, STEP_LINE, None);
                self.world.borrow_mut().step();
            } else if let Some(n) = e.line.strip_prefix(STEPS_PREFIX).and_then(|n| n.parse::<u64>().ok()) {
                self.session.push(e.t, &e.line, None);
                let mut world = self.world.borrow_mut();
                for _ in 0..n.min(kubeplay_kubectl::shell::SETTLE_BOUND) {
                    world.step();
                }
            } else {
                self.run_line(&e.line, sh.stdin_of(e), true);
            }
        }
        let now = self.world.borrow().now_ms();
        if sh.now > now {
            self.world.borrow_mut().run_for(sh.now - now, REPLAY_BOUND);
        }
        self.editor = sh.editor.clone();
        self.speed = Speed::Paused;
        self.version += 1;
        true
    }

    fn play_demo_step(&mut self, index: usize, k: usize) {
        let Some(step) = self.demos.get(index).and_then(|d| d.steps.get(k)).cloned() else { return };
        if let Some(y) = &step.apply {
            self.editor = y.clone();
        }
        if let Some(line) = step.line() {
            let stdin = step.apply.clone();
            self.run_line(&line, stdin.as_deref(), false);
        }
    }

    fn push_output(&mut self, out: &kubeplay_kubectl::Output) {
        for (text, kind) in [(&out.warnings, LineKind::Err), (&out.stdout, LineKind::Out), (&out.stderr, LineKind::Err)] {
            if !text.is_empty() {
                self.terminal.push(Line { kind, text: text.clone() });
            }
        }
        for note in &out.notes {
            self.terminal.push(Line { kind: LineKind::Note, text: format!("{note}\n") });
        }
        // Keep the scrollback bounded.
        if self.terminal.len() > 500 {
            let extra = self.terminal.len() - 500;
            self.terminal.drain(..extra);
        }
    }

    fn run_line(&mut self, line: &str, stdin: Option<&str>, typed: bool) -> Option<kubeplay_kubectl::Output> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        // The prompt the line was typed at: the learner's `$`, or a container shell's.
        self.terminal.push(Line { kind: LineKind::Command, text: format!("{}{line}\n", self.shell.prompt()) });
        if line != "clear" {
            let t = self.world.borrow().now_ms();
            self.session.push(t, line, stdin);
        }
        if typed && self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_string());
        }
        if let Some(l) = self.lesson.as_mut() {
            l.recorded.push((line.to_string(), stdin.map(String::from)));
            l.verdict = None;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut world = self.world.borrow_mut();
        match words.first().copied() {
            Some("clear") => {
                drop(world);
                self.terminal.clear();
            }
            _ => {
                let files = LessonFiles(
                    self.lesson.as_ref().and_then(|l| self.lessons.get(l.index)).map(|l| l.files.clone()).unwrap_or_default(),
                );
                let env = Env { files: &files, stdin };
                let out = self.shell.run(&mut world, line, &env);
                drop(world);
                self.push_output(&out);
                // The last request's pods stay marked until the next command.
                if !out.hits.is_empty() {
                    self.hits = (self.hits.0 + 1, out.hits.clone());
                } else {
                    self.hits.1.clear();
                }
                self.version += 1;
                return Some(out);
            }
        }
        self.version += 1;
        None
    }
}

impl AppState {
    /// Starts lesson `index` at `step`: the cluster as the learner finds it there.
    /// `settle` (the button or the typed command): logged as the line `settle`, whose replay
    /// (share links, undo) runs the same events in one go. What fits in one chunk finishes
    /// at once; more continues chunk by chunk (`SettleMore`) so the page stays responsive.
    fn start_settle(&mut self) {
        let t = self.world.borrow().now_ms();
        self.terminal.push(Line { kind: LineKind::Command, text: format!("{}settle\n", self.shell.prompt()) });
        self.session.push(t, "settle", None);
        if let Some(l) = self.lesson.as_mut() {
            l.recorded.push(("settle".into(), None));
            l.verdict = None;
        }
        self.settling = Some(Settling { events: 0, from_ms: t });
        self.settle_chunk();
    }

    fn refuse_while_settling(&mut self, line: &str) {
        self.terminal.push(Line { kind: LineKind::Command, text: format!("{}{line}\n", self.shell.prompt()) });
        self.terminal.push(Line {
            kind: LineKind::Err,
            text: "kubeplay: the cluster is still settling; wait for it, or press stop.\n".into(),
        });
    }

    fn settle_chunk(&mut self) {
        let Some(mut run) = self.settling else { return };
        let left = kubeplay_kubectl::shell::SETTLE_BOUND - run.events;
        let result = self.world.borrow_mut().run_until_settled(left.min(SETTLE_CHUNK));
        self.version += 1;
        match result {
            kubeplay_sim::Settled::Settled { .. } => self.settling = None,
            kubeplay_sim::Settled::Bounded { events } => {
                run.events += events;
                if run.events >= kubeplay_kubectl::shell::SETTLE_BOUND {
                    self.settling = None;
                    self.terminal.push(Line {
                        kind: LineKind::Err,
                        text: format!("kubeplay: the cluster did not settle within {} events\n", run.events),
                    });
                } else {
                    self.settling = Some(run);
                }
            }
        }
    }

    /// Stops a settle where it is, after the events it has run. The log's `settle` line
    /// becomes `#steps N`, so a replay runs exactly those events.
    fn stop_settle(&mut self) {
        let Some(run) = self.settling.take() else { return };
        if self.session.log.last().is_some_and(|e| e.line == "settle") {
            self.session.log.pop();
        }
        self.session.push(run.from_ms, &format!("{STEPS_PREFIX}{}", run.events), None);
        if let Some(l) = self.lesson.as_mut() {
            if l.recorded.last().is_some_and(|(line, _)| line == "settle") {
                l.recorded.pop();
            }
        }
        let now = self.world.borrow().now_ms();
        self.terminal.push(Line {
            kind: LineKind::Err,
            text: format!(
                "Stopped after {} events, {} of virtual time: the cluster has not settled. The clock is paused.\n",
                run.events,
                kubeplay_kubectl::duration::human(now.saturating_sub(run.from_ms) as i64)
            ),
        });
        self.speed = Speed::Paused;
        self.version += 1;
    }

    fn open(&mut self, index: usize, step: usize) {
        let Some(lesson) = self.lessons.get(index).cloned() else { return };
        let step = step.min(lesson.steps.len().saturating_sub(1));
        let world = kubeplay_lessons::engine::prepare(&lesson, step, None);
        *self.world.borrow_mut() = world;
        self.session = crate::share::Shared::new(Some((lesson.id.clone(), step)), String::new(), 0, 0);
        self.shell = Default::default();
        self.version += 1;
        self.lesson = Some(LessonState { index, step, recorded: Vec::new(), verdict: None, hints_shown: 0 });
        self.terminal = vec![Line {
            kind: LineKind::Out,
            text: format!("Lesson: {} — step {} of {}. The cluster is ready.\n", lesson.title, step + 1, lesson.steps.len()),
        }];
        self.markers.clear();
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.editor == other.editor
            && self.terminal == other.terminal
            && self.markers == other.markers
            && self.hits == other.hits
            && self.speed == other.speed
            && self.history == other.history
            && self.lesson == other.lesson
            && self.progress == other.progress
            && self.demo == other.demo
            && self.pack == other.pack
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        // Rebuilding the cluster ends a settle in progress (its line is replayed or dropped
        // with the rest of the log).
        if matches!(
            action,
            Action::Undo
                | Action::RewindTo(_)
                | Action::OpenShared(_)
                | Action::OpenLesson(_)
                | Action::GotoStep(_)
                | Action::OpenDemo(_)
        ) {
            s.settling = None;
        }
        match action {
            Action::Edit(text) => s.editor = text,
            Action::ResetEditor => {
                s.editor = SAMPLE.to_string();
                s.markers.clear();
            }
            Action::Apply if s.settling.is_some() => s.refuse_while_settling("kubectl apply -f -"),
            Action::Apply => {
                let text = s.editor.clone();
                s.markers = s.run_line("kubectl apply -f -", Some(&text), false).map(|o| o.diagnostics).unwrap_or_default();
            }
            Action::Run(line) if line.trim() == "settle" && s.settling.is_none() => {
                if s.history.last().map(String::as_str) != Some("settle") {
                    s.history.push("settle".into());
                }
                s.start_settle();
            }
            Action::Run(line) if s.settling.is_some() => s.refuse_while_settling(&line),
            Action::Run(line) => {
                // `kubectl apply -f -` in the terminal takes the editor's contents; a line
                // typed into a container's shell reads nothing.
                let text = s.shell.session.is_none().then(|| s.editor.clone());
                if let Some(out) = s.run_line(&line, text.as_deref(), true) {
                    if line.contains("-f -") {
                        s.markers = out.diagnostics;
                    }
                }
            }
            Action::Paste(text) => {
                for step in kubeplay_kubectl::shell::script_lines(&text) {
                    if s.settling.is_some() {
                        s.refuse_while_settling(&step.command);
                        continue;
                    }
                    // Without a heredoc, `kubectl apply -f -` takes the editor's contents
                    // (a container's shell reads nothing).
                    let stdin = step.stdin.or_else(|| s.shell.session.is_none().then(|| s.editor.clone()));
                    if let Some(out) = s.run_line(&step.command, stdin.as_deref(), true) {
                        if step.command.contains("-f -") {
                            s.markers = out.diagnostics;
                        }
                    }
                }
            }
            Action::ClearTerminal => s.terminal.clear(),
            Action::ShowCompletions(line, candidates) => {
                s.terminal.push(Line { kind: LineKind::Command, text: format!("$ {line}\n") });
                s.terminal.push(Line { kind: LineKind::Out, text: format!("{}\n", candidates.join("  ")) });
            }
            Action::Tick(real_ms) => {
                let ms = if s.settling.is_some() { 0 } else { real_ms * s.speed.factor() };
                if ms == 0 {
                    return self;
                }
                // A tick runs a bounded number of events so the page stays responsive; when
                // that is not all that was due, the clock stays at the last event run (it
                // falls behind real time) and the log records exactly how many ran.
                let t0 = s.world.borrow().now_ms();
                let (ran, reached) = s.world.borrow_mut().run_toward(ms, TICK_EVENT_BOUND);
                if !reached {
                    s.session.push(t0, &format!("{STEPS_PREFIX}{ran}"), None);
                }
                s.version += 1;
            }
            Action::SetSpeed(sp) => s.speed = sp,
            Action::Step => {
                let t = s.world.borrow().now_ms();
                s.session.push(t, STEP_LINE, None);
                s.world.borrow_mut().step();
                s.version += 1;
            }
            Action::Notice(text, error) => {
                s.terminal.push(Line { kind: if error { LineKind::Err } else { LineKind::Out }, text: format!("{text}\n") });
            }
            Action::OpenShared(sh) => {
                if s.replay(&sh) {
                    let hash = format!("{:016x}", s.world.borrow().state_hash());
                    let (kind, text) = if hash == sh.hash {
                        (LineKind::Out, format!("Opened a shared session: {} commands replayed; the cluster is identical (state {hash}). The clock is paused.\n", sh.log.len()))
                    } else {
                        (LineKind::Err, format!("Opened a shared session, but the replayed cluster differs from the one shared (state {hash}, link says {}): this page may be a different version.\n", sh.hash))
                    };
                    s.terminal.push(Line { kind, text });
                }
            }
            Action::LoadPack(file, text) => match kubeplay_lessons::load::parse_pack(&text) {
                Ok(pack) => {
                    // Progress is kept per pack: its lesson ids are namespaced by the pack.
                    let lessons: Vec<Lesson> = pack
                        .lessons
                        .into_iter()
                        .map(|mut l| {
                            l.id = format!("{}/{}", pack.pack, l.id);
                            l
                        })
                        .collect();
                    let n = lessons.len();
                    s.lessons = Rc::new(lessons);
                    s.pack = Some(pack.pack.clone());
                    s.lesson = None;
                    s.terminal.push(Line {
                        kind: LineKind::Out,
                        text: format!(
                            "Loaded the lesson pack {:?} from {file}: {n} lesson(s). Pick one in the Lesson menu.\n",
                            pack.pack
                        ),
                    });
                }
                Err(errs) => {
                    let list: String = errs.iter().map(|e| format!("  - {e}\n")).collect();
                    s.terminal.push(Line {
                        kind: LineKind::Err,
                        text: format!("The lesson pack in {file} could not be loaded:\n{list}"),
                    });
                }
            },
            Action::BuiltinLessons => {
                s.lessons = Rc::new(bundled_lessons());
                s.pack = None;
                s.lesson = None;
                s.terminal.push(Line { kind: LineKind::Out, text: "Back to the built-in lessons.\n".into() });
            }
            Action::Undo => {
                let n = s.session.log.len();
                if n == 0 {
                    s.terminal.push(Line { kind: LineKind::Err, text: "Nothing to undo since the cluster started.\n".into() });
                } else {
                    let line = s.session.log[n - 1].line.clone();
                    if s.rewind_to(n - 1) {
                        s.terminal.push(Line {
                            kind: LineKind::Out,
                            text: format!("Undid `{line}`: the cluster is as it was just before (replayed from the start; the clock is paused).\n"),
                        });
                    }
                }
            }
            Action::RewindTo(k) => {
                if let Some(e) = s.session.log.get(k).cloned() {
                    let dropped = s.session.log.len() - k;
                    if s.rewind_to(k) {
                        s.terminal.push(Line {
                            kind: LineKind::Out,
                            text: format!(
                                "Rewound to {} virtual, just before `{}` ({dropped} command(s) undone, replayed from the start; the clock is paused). What you run now branches from here.\n",
                                crate::clock_text(e.t),
                                e.line
                            ),
                        });
                    }
                }
            }
            Action::Settle => {
                if s.settling.is_none() {
                    s.start_settle();
                }
            }
            Action::SettleMore => s.settle_chunk(),
            Action::StopSettle => s.stop_settle(),
            Action::OpenDemo(None) => {
                s.demo = None;
                s.speed = Speed::X1;
                s.version += 1;
            }
            Action::OpenDemo(Some(i)) => {
                if i < s.demos.len() {
                    s.play_demo_to(i, 0);
                }
            }
            Action::DemoNext => {
                if let Some(d) = s.demo.clone() {
                    let len = s.demos.get(d.index).map_or(0, |x| x.steps.len());
                    if d.step < len {
                        s.play_demo_step(d.index, d.step);
                        s.demo = Some(DemoState { index: d.index, step: d.step + 1 });
                    }
                }
            }
            Action::DemoPrev => {
                if let Some(d) = s.demo.clone() {
                    if d.step > 0 {
                        s.play_demo_to(d.index, d.step - 1);
                    }
                }
            }
            Action::OpenLesson(None) => {
                s.lesson = None;
                *s.world.borrow_mut() = World::new(1);
                s.session = crate::share::Shared::new(None, String::new(), 0, 0);
                s.shell = Default::default();
                s.version += 1;
                s.terminal = vec![Line { kind: LineKind::Out, text: "Sandbox: a fresh one-node k3s cluster.\n".into() }];
            }
            Action::OpenLesson(Some(i)) => {
                let done = s.lessons.get(i).and_then(|l| s.progress.get(&l.id)).copied().unwrap_or(0);
                let steps = s.lessons.get(i).map_or(1, |l| l.steps.len());
                s.open(i, if done >= steps { 0 } else { done });
            }
            Action::GotoStep(step) => {
                if let Some(i) = s.lesson.as_ref().map(|l| l.index) {
                    s.open(i, step);
                }
            }
            Action::ShowHint => {
                if let Some(l) = s.lesson.as_mut() {
                    l.hints_shown += 1;
                }
            }
            Action::Check => {
                let Some(l) = s.lesson.clone() else { return Rc::new(s) };
                let Some(lesson) = s.lessons.get(l.index).cloned() else { return Rc::new(s) };
                let v = kubeplay_lessons::engine::check_recorded(&lesson, l.step, &l.recorded, None);
                if v.passed {
                    let done = s.progress.entry(lesson.id.clone()).or_insert(0);
                    *done = (*done).max(l.step + 1);
                }
                if let Some(ls) = s.lesson.as_mut() {
                    ls.verdict = Some((v.passed, v.checks));
                }
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(s: Rc<AppState>, a: Action) -> Rc<AppState> {
        s.reduce(a)
    }

    #[test]
    fn pasted_lines_run_as_a_script_with_heredocs() {
        let mut s = Rc::new(AppState::new());
        let pasted = "cat <<EOF > kustomization.yaml\nconfigMapGenerator:\n- name: demo\n  literals:\n  - A=1\nEOF\n\n# a comment\nkubectl apply -k .\ncat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inline\nEOF\n";
        s = act(s, Action::Paste(pasted.into()));
        let text: String = s.terminal.iter().map(|l| l.text.as_str()).collect();
        assert!(text.contains("$ cat > kustomization.yaml\n"), "{text}");
        assert!(text.contains("configmap/demo-"), "{text}");
        assert!(text.contains("configmap/inline created"), "{text}");
        let world = s.world.borrow();
        let names: Vec<String> =
            world.store().list(kubeplay_sim::Kind::ConfigMap, Some("default")).filter_map(|o| o.meta().name.clone()).collect();
        assert!(names.iter().any(|n| n.starts_with("demo-")) && names.contains(&"inline".to_string()), "{names:?}");
    }

    #[test]
    fn the_bundled_pack_is_exactly_the_lessons_folder() {
        // build.rs converts lessons/ to JSON for the page; that conversion must lose nothing
        // (a YAML scalar that JSON types differently would fail or differ here).
        let from_dir =
            kubeplay_lessons::load::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons"))).unwrap();
        let bundled = bundled_lessons();
        assert_eq!(bundled.len(), from_dir.len());
        assert!(bundled.len() >= 18);
        assert_eq!(bundled, from_dir);
    }

    #[test]
    fn the_bundled_demos_are_exactly_the_demos_folder() {
        let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/demos"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        let from_dir: Vec<Demo> =
            files.iter().map(|f| kubeplay_lessons::demo::parse(&std::fs::read_to_string(f).unwrap()).unwrap()).collect();
        assert_eq!(from_dir.len(), 2);
        assert_eq!(bundled_demos(), from_dir);
    }

    #[test]
    fn a_shared_link_rebuilds_the_identical_cluster() {
        let mut s = Rc::new(AppState::new());
        s = act(s, Action::Apply);
        s = act(s, Action::Tick(1_500));
        s = act(s, Action::Run("kubectl scale deployment web --replicas=5".into()));
        s = act(s, Action::Step);
        s = act(s, Action::Tick(20_000));
        s = act(s, Action::Run("kubectl create service nodeport web --tcp=80:80".into()));
        s = act(s, Action::Tick(700));
        let frag = s.share_fragment().expect("a link");
        let hash = s.world.borrow().state_hash();
        let shared = crate::share::decode(&frag).unwrap().unwrap();
        let mut fresh = Rc::new(AppState::new());
        fresh = act(fresh, Action::Run("kubectl create namespace noise".into()));
        fresh = act(fresh, Action::OpenShared(shared));
        assert_eq!(fresh.world.borrow().state_hash(), hash, "same cluster, bit for bit");
        assert_eq!(fresh.editor, s.editor);
        assert!(fresh.terminal.last().is_some_and(|l| l.text.contains("identical")));
        // A damaged link changes nothing and says why.
        let before = fresh.world.borrow().state_hash();
        assert!(crate::share::decode(&frag[..frag.len() / 2]).is_err());
        fresh = act(fresh, Action::Notice("This link could not be opened".into(), true));
        assert_eq!(fresh.world.borrow().state_hash(), before);
    }

    #[test]
    fn a_big_settle_runs_in_chunks_and_ends_where_one_run_would() {
        let mut s = Rc::new(AppState::new());
        s = act(s, Action::Run("kubectl create deployment big --image=nginx --image=redis --image=httpd --replicas=1000".into()));
        let mut reference = s.world.borrow().clone();
        reference.run_until_settled(kubeplay_kubectl::shell::SETTLE_BOUND);
        s = act(s, Action::Settle);
        // One node runs 110 of the 1000 pods; three containers each make that more than one chunk.
        let first = s.settling.expect("110 running pods of three containers take more than one chunk");
        assert_eq!(first.events, SETTLE_CHUNK);
        // Commands wait for it, and say so; ticks do not move the clock meanwhile.
        let now = s.world.borrow().now_ms();
        s = act(s, Action::Run("kubectl get pods".into()));
        s = act(s, Action::Tick(1_000));
        assert!(s.terminal.last().is_some_and(|l| l.text.contains("still settling")));
        assert_eq!(s.world.borrow().now_ms(), now);
        let mut chunks = 1;
        while s.settling.is_some() {
            s = act(s, Action::SettleMore);
            chunks += 1;
            assert!(chunks < 10_000, "a settle that never ends");
        }
        assert!(chunks > 2, "{chunks} chunks");
        assert_eq!(s.world.borrow().state_hash(), reference.state_hash(), "chunks change nothing but when the page breathes");
        assert_eq!(s.session.log.last().map(|e| e.line.as_str()), Some("settle"));
    }

    #[test]
    fn a_stopped_settle_pauses_the_clock_and_a_link_replays_to_the_same_cluster() {
        let mut s = Rc::new(AppState::new());
        s = act(s, Action::Run("kubectl create deployment big --image=nginx --image=redis --image=httpd --replicas=1000".into()));
        s = act(s, Action::Settle);
        s = act(s, Action::SettleMore);
        assert!(s.settling.is_some());
        s = act(s, Action::StopSettle);
        assert!(s.settling.is_none());
        assert_eq!(s.speed, Speed::Paused);
        assert!(s.terminal.last().is_some_and(|l| l.text.starts_with("Stopped after 400 events")), "{:?}", s.terminal.last());
        assert_eq!(s.session.log.last().map(|e| e.line.as_str()), Some("#steps 400"), "a replay runs the events that ran");
        let mut settled = s.world.borrow().clone();
        settled.run_until_settled(kubeplay_kubectl::shell::SETTLE_BOUND);
        assert_ne!(settled.state_hash(), s.world.borrow().state_hash(), "stopped part-way");
        s = act(s, Action::Run("kubectl get deployment big".into()));
        let hash = s.world.borrow().state_hash();
        let shared = crate::share::decode(&s.share_fragment().expect("a link")).unwrap().unwrap();
        let fresh = act(Rc::new(AppState::new()), Action::OpenShared(shared));
        assert_eq!(fresh.world.borrow().state_hash(), hash);
    }

    #[test]
    fn a_busy_tick_runs_a_bounded_number_of_events_and_the_link_still_replays_exactly() {
        let mut s = Rc::new(AppState::new());
        s = act(s, Action::Run("kubectl create deployment big --image=nginx --image=redis --image=httpd --replicas=1000".into()));
        let before = s.world.borrow().now_ms();
        s = act(s, Action::Tick(20_000));
        // 110 running pods of three containers are more than one tick's events: the clock stays
        // with the last one run.
        assert!(s.world.borrow().now_ms() < before + 20_000, "the clock fell behind");
        assert_eq!(s.session.log.last().map(|e| e.line.clone()), Some(format!("#steps {TICK_EVENT_BOUND}")));
        for _ in 0..20 {
            s = act(s, Action::Tick(2_000));
        }
        s = act(s, Action::Run("kubectl get deployment big".into()));
        let hash = s.world.borrow().state_hash();
        let shared = crate::share::decode(&s.share_fragment().expect("a link")).unwrap().unwrap();
        let fresh = act(Rc::new(AppState::new()), Action::OpenShared(shared));
        assert_eq!(fresh.world.borrow().state_hash(), hash);
    }

    /// Found by the share-link fuzzer: a link whose last command has a JSONPath with an
    /// unclosed `[` panicked while replaying; now that command prints kubectl's error.
    #[test]
    fn a_shared_link_with_a_broken_jsonpath_replays_without_a_panic() {
        let frag = include_str!("../fuzz/regressions/share_url/jsonpath-unclosed-bracket.txt");
        let shared = crate::share::decode(frag.trim()).expect("decodes").expect("a session");
        let s = act(Rc::new(AppState::new()), Action::OpenShared(shared));
        assert!(s.terminal.iter().any(|l| l.text.contains("unterminated array")), "{:?}", s.terminal.last());
    }

    /// A Deployment created, then scaled to 4; and the state hash just before the scale.
    fn web_then_scaled() -> (Rc<AppState>, u64) {
        let mut s = Rc::new(AppState::new());
        s = act(s, Action::Run("kubectl create deployment web --image=nginx".into()));
        s = act(s, Action::Tick(4_000));
        let before = s.world.borrow().state_hash();
        s = act(s, Action::Run("kubectl scale deployment web --replicas=4".into()));
        s = act(s, Action::Tick(3_000));
        (s, before)
    }

    #[test]
    fn rewind_goes_back_to_any_command_and_branches_from_there() {
        let (mut s, before) = web_then_scaled();
        s = act(s, Action::Run("kubectl scale deployment web --replicas=2".into()));
        s = act(s, Action::Tick(3_000));
        s = act(s, Action::RewindTo(1));
        assert_eq!(s.world.borrow().state_hash(), before, "back to the instant before the first scale");
        assert_eq!(s.session.log.len(), 1);
        assert!(s.terminal.last().is_some_and(|l| l.text.contains("just before `kubectl scale deployment web --replicas=4`")));
        // A branch: another command from there.
        s = act(s, Action::Run("kubectl scale deployment web --replicas=6".into()));
        assert_eq!(s.session.log.len(), 2);
        s = act(s, Action::RewindTo(9));
        assert_eq!(s.session.log.len(), 2, "no such command: nothing changes");
    }

    /// `kubectl run -it`: the terminal's lines go to the container's shell at its prompt
    /// until `exit`; a rewind replays into the session as it was.
    #[test]
    fn an_interactive_shell_takes_the_terminal_until_exit() {
        let mut s = Rc::new(AppState::new());
        s = act(s, Action::Run("kubectl run box -it --image=busybox:1.36".into()));
        assert_eq!(s.shell.prompt(), "/ # ");
        s = act(s, Action::Run("cd /tmp".into()));
        s = act(s, Action::Run("echo hi from $HOSTNAME".into()));
        let text: String = s.terminal.iter().map(|l| l.text.as_str()).collect();
        assert!(text.contains("/ # cd /tmp\n/tmp # echo hi from $HOSTNAME\nhi from box\n"), "{text}");
        let at_echo = s.session.log.len() - 1;
        s = act(s, Action::Run("exit".into()));
        assert_eq!(s.shell.prompt(), "$ ");
        assert!(s.terminal.iter().any(|l| l.text.contains("Session ended, resume using 'kubectl attach box -c box -i -t'")));
        s = act(s, Action::RewindTo(at_echo));
        assert_eq!(s.shell.prompt(), "/tmp # ", "the replay reopens the session where it was");
    }

    #[test]
    fn an_image_the_catalog_lacks_gets_a_note_beside_kubectls_output() {
        let mut s = Rc::new(AppState::new());
        s = act(s, Action::Run("kubectl run typo --image=ngnix".into()));
        let n = s.terminal.len();
        assert_eq!(s.terminal[n - 2].text, "pod/typo created\n");
        assert_eq!(s.terminal[n - 1].kind, LineKind::Note);
        assert!(s.terminal[n - 1].text.contains("docker.io/library/ngnix is not in kubeplay's image catalog"));
        s = act(s, Action::Run("kubectl run web --image=nginx:1.25".into()));
        assert_eq!(s.terminal.last().map(|l| l.kind), Some(LineKind::Out), "a catalogued image: no note");
    }

    #[test]
    fn undo_returns_to_the_moment_before_the_last_command() {
        let (mut s, before) = web_then_scaled();
        s = act(s, Action::Undo);
        assert_eq!(s.world.borrow().state_hash(), before, "back to the instant before the scale");
        assert!(s.terminal.last().is_some_and(|l| l.text.starts_with("Undid `kubectl scale")));
        s = act(s, Action::Undo);
        s = act(s, Action::Undo);
        assert!(s.terminal.last().is_some_and(|l| l.text.contains("Nothing to undo")));
    }
}
