//! The kubeplay page (yew CSR). UI only: every action goes through `state::Action` and one
//! reducer; the cluster lives in kubeplay-sim and commands run through kubeplay-kubectl.
//! The clock's interval is the one effect, owned by `App`.

mod editor;
mod events;
mod lesson;
mod map;
mod share;
mod state;

pub use state::SAMPLE;

use state::{Action, AppState, LineKind, Speed};
use web_sys::{HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

/// Real milliseconds between clock ticks.
const TICK_MS: u32 = 250;

/// Example commands offered as clickable chips.
const EXAMPLES: &[&str] = &[
    "kubectl run web --image=nginx",
    "kubectl get pods",
    "kubectl create deployment hello --image=nginx:1.25 --replicas=3",
    "kubectl get deploy,rs,pods",
    "kubectl apply -f -",
    "kubectl describe pod web",
];

/// A virtual time as the header's clock shows it.
pub(crate) fn clock_text(ms: u64) -> String {
    clock(ms)
}

fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

#[derive(Properties, PartialEq)]
struct TerminalProps {
    state: UseReducerHandle<AppState>,
    /// A demo step put the terminal in the spotlight.
    #[prop_or_default]
    spot: bool,
}

#[function_component(Terminal)]
fn terminal(props: &TerminalProps) -> Html {
    let state = props.state.clone();
    let input = use_node_ref();
    // Position in history while browsing with ↑/↓ (None = editing a new line).
    let cursor = use_state(|| None::<usize>);
    let onkeydown = {
        let state = state.clone();
        let input = input.clone();
        let cursor = cursor.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = input.cast::<HtmlInputElement>() else { return };
            match e.key().as_str() {
                "Enter" => {
                    let line = el.value();
                    el.set_value("");
                    cursor.set(None);
                    state.dispatch(Action::Run(line));
                }
                "ArrowUp" => {
                    e.prevent_default();
                    let n = state.history.len();
                    if n == 0 {
                        return;
                    }
                    let i = cursor.map_or(n - 1, |i| i.saturating_sub(1));
                    el.set_value(&state.history[i]);
                    cursor.set(Some(i));
                }
                "ArrowDown" => {
                    e.prevent_default();
                    if let Some(i) = *cursor {
                        if i + 1 < state.history.len() {
                            el.set_value(&state.history[i + 1]);
                            cursor.set(Some(i + 1));
                        } else {
                            el.set_value("");
                            cursor.set(None);
                        }
                    }
                }
                "Tab" => {
                    // Complete the line's last word; list the choices when Tab cannot decide.
                    e.prevent_default();
                    let line = el.value();
                    let c = kubeplay_kubectl::complete::complete(&state.world.borrow(), &line);
                    el.set_value(&c.line);
                    if !c.candidates.is_empty() && c.line == line {
                        state.dispatch(Action::ShowCompletions(line, c.candidates));
                    }
                }
                "l" | "L" if e.ctrl_key() => {
                    e.prevent_default();
                    state.dispatch(Action::ClearTerminal);
                }
                _ => {}
            }
        })
    };
    // Pasting several lines (a docs snippet with `cat <<EOF > file` heredocs) runs them as
    // a script; a single line pastes into the prompt as usual.
    let onpaste = {
        let state = state.clone();
        let input = input.clone();
        Callback::from(move |e: Event| {
            let Ok(e) = wasm_bindgen::JsCast::dyn_into::<web_sys::ClipboardEvent>(e) else { return };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text/plain").ok()) else { return };
            if !text.trim_end().contains('\n') {
                return;
            }
            e.prevent_default();
            let typed = input.cast::<HtmlInputElement>().map(|el| {
                let v = el.value();
                el.set_value("");
                v
            });
            state.dispatch(Action::Paste(format!("{}{text}", typed.unwrap_or_default())));
        })
    };
    let scroll = use_node_ref();
    {
        let scroll = scroll.clone();
        let n = state.terminal.len();
        use_effect_with(n, move |_| {
            if let Some(el) = scroll.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let lines = state.terminal.iter().map(|l| {
        let class = match l.kind {
            LineKind::Command => "cmd",
            LineKind::Out => "out",
            LineKind::Err => "err",
            LineKind::Note => "note",
        };
        html! { <span class={class}>{ &l.text }</span> }
    });
    let focus = {
        let input = input.clone();
        Callback::from(move |_| {
            if let Some(el) = input.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        })
    };
    // Inside `kubectl exec -it POD -- sh` the line goes to the container's shell, whose
    // prompt replaces the learner's `$`.
    let prompt = state.shell.prompt();
    let (label, placeholder) = match &state.shell.session {
        Some(s) => (format!("command for the shell in pod {}", s.pod), "exit leaves the container"),
        None => ("kubectl command".to_string(), "kubectl get pods"),
    };
    html! {
        <section class={classes!("pane", "terminal-pane", props.spot.then_some("spotlight"))} aria-label="Terminal" onclick={focus}>
            <h2>{ "Terminal" }</h2>
            <pre class="terminal" id="terminal" ref={scroll} aria-live="polite">{ for lines }</pre>
            <div class="prompt">
                <span aria-hidden="true">{ prompt.trim_end() }</span>
                <input id="command" ref={input} type="text" aria-label={label} autocomplete="off" spellcheck="false"
                    {placeholder} onkeydown={onkeydown} onpaste={onpaste} />
            </div>
        </section>
    }
}

/// The localStorage key for progress; the version suffix changes when the format does.
const PROGRESS_KEY: &str = "kubeplay.progress.v1";

/// Reads saved progress. Corrupt or old data is dropped, with a notice.
fn load_progress() -> (state::Progress, Option<String>) {
    use gloo_storage::Storage;
    match gloo_storage::LocalStorage::get::<state::Progress>(PROGRESS_KEY) {
        Ok(p) => (p, None),
        Err(gloo_storage::errors::StorageError::KeyNotFound(_)) => (state::Progress::new(), None),
        Err(_) => {
            gloo_storage::LocalStorage::delete(PROGRESS_KEY);
            (state::Progress::new(), Some("Saved progress could not be read and was reset.".into()))
        }
    }
}

/// The root component.
/// The session's commands on the virtual clock, each a point to rewind to (replaying what
/// came before it); a new command after a rewind starts a branch.
fn commands_timeline(state: &UseReducerHandle<AppState>) -> Html {
    let log = &state.session.log;
    // `#step`/`#steps N` entries (events run by the step button or by a tick or settle that
    // hit its bound) replay, but are not commands to rewind to.
    let shown = log.iter().filter(|e| !e.line.starts_with('#')).count();
    let rows = log.iter().enumerate().rev().filter(|(_, e)| !e.line.starts_with('#')).map(|(k, e)| {
        let state = state.clone();
        let onclick = Callback::from(move |_| state.dispatch(Action::RewindTo(k)));
        html! {
            <li class="cmd-entry">
                <span class="ev-age">{ clock(e.t) }</span>
                <code class="cmd-line">{ &e.line }</code>
                <button class="link rewind" {onclick} title="Rewind the cluster to just before this command"
                    aria-label={format!("rewind to just before: {}", e.line)}>{ "⟲ before this" }</button>
            </li>
        }
    });
    html! {
        <details class="events commands" id="commands-details">
            <summary>{ format!("Commands ({shown}), rewind to any") }</summary>
            if shown == 0 {
                <p class="ev-empty">{ "Nothing run yet." }</p>
            }
            <ul class="ev-list" id="commands">{ for rows }</ul>
        </details>
    }
}

/// Which splitter is being dragged.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Split {
    Lesson,
    Map,
}

/// The panes' sizes, when the learner changed them (None = the stylesheet's).
#[derive(Clone, Copy, PartialEq, Debug, Default)]
struct Layout {
    lesson_px: Option<f64>,
    lesson_folded: bool,
    /// The map row's share of the work area's height.
    map_frac: Option<f64>,
}

impl Layout {
    fn style(&self) -> String {
        let mut s = String::new();
        if self.lesson_folded {
            s.push_str("grid-template-columns: 0 1fr 1fr;");
        } else if let Some(w) = self.lesson_px {
            s.push_str(&format!("grid-template-columns: {w:.0}px 1fr 1fr;"));
        }
        if let Some(f) = self.map_frac {
            s.push_str(&format!("grid-template-rows: minmax(0, {f:.3}fr) minmax(0, {:.3}fr);", 1.0 - f));
        }
        s
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let notice = use_state(|| None::<String>);
    let state = {
        let notice = notice.clone();
        use_reducer(move || {
            let (p, n) = load_progress();
            if n.is_some() {
                notice.set(n);
            }
            AppState::with_progress(p)
        })
    };
    {
        // Progress is saved at the edge, whenever it changes.
        let progress = state.progress.clone();
        use_effect_with(progress, |p| {
            use gloo_storage::Storage;
            let _ = gloo_storage::LocalStorage::set(PROGRESS_KEY, p);
        });
    }
    {
        // A shared link (`#s=...`) rebuilds that session once, at start.
        let state = state.clone();
        use_effect_with((), move |_| {
            let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
            match share::decode(&hash) {
                Ok(Some(sh)) => state.dispatch(Action::OpenShared(sh)),
                Ok(None) => {}
                Err(e) => state
                    .dispatch(Action::Notice(format!("This link could not be opened: {e}. The playground started fresh."), true)),
            }
        });
    }
    {
        // `?pack=URL`: a team's lesson pack, fetched at start.
        let state = state.clone();
        use_effect_with((), move |_| {
            let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
            let url = query
                .trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix("pack="))
                .map(|u| js_sys::decode_uri_component(u).ok().and_then(|v| v.as_string()).unwrap_or_else(|| u.to_string()));
            if let Some(url) = url.filter(|u| !u.is_empty()) {
                lesson::fetch_pack(state, url);
            }
        });
    }
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let tick = gloo_timers::callback::Interval::new(TICK_MS, move || state.dispatch(Action::Tick(u64::from(TICK_MS))));
            move || drop(tick)
        });
    }
    {
        // A settle in progress runs its next chunk after the browser has had a turn (paint,
        // input, the stop button).
        let settling = state.settling;
        let dispatch = state.dispatcher();
        use_effect_with(settling, move |settling| {
            let next = settling.map(|_| gloo_timers::callback::Timeout::new(0, move || dispatch.dispatch(Action::SettleMore)));
            move || drop(next)
        });
    }
    let on_input = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::Edit(area.value()));
        })
    };
    let on_editor_key = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && e.ctrl_key() {
                e.prevent_default();
                state.dispatch(Action::Apply);
            } else if e.key() == "Tab" {
                // Tab inserts two spaces instead of leaving the editor.
                e.prevent_default();
                let area: HtmlTextAreaElement = e.target_unchecked_into();
                let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
                let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
                let v = area.value();
                let (a, b) = (v.chars().take(start).collect::<String>(), v.chars().skip(end).collect::<String>());
                area.set_value(&format!("{a}  {b}"));
                let pos = (start + 2) as u32;
                let _ = area.set_selection_range(pos, pos);
                state.dispatch(Action::Edit(area.value()));
            }
        })
    };
    // Resizable panes: the lesson column's width and the map row's height, dragged by the
    // splitters (or moved with the arrow keys on them; Enter folds the pane away).
    let layout = use_state(Layout::default);
    let dragging = use_state(|| None::<Split>);
    let work_ref = use_node_ref();
    {
        let layout = layout.clone();
        let dragging_set = dragging.clone();
        let work_ref = work_ref.clone();
        use_effect_with(*dragging, move |d| {
            let listeners = d.map(|split| {
                let layout = layout.clone();
                let work_ref = work_ref.clone();
                let on_move =
                    wasm_bindgen::closure::Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |e: web_sys::PointerEvent| {
                        let Some(el) = work_ref.cast::<web_sys::Element>() else { return };
                        let r = el.get_bounding_client_rect();
                        let mut next = *layout;
                        match split {
                            Split::Lesson => {
                                next.lesson_px = Some((f64::from(e.client_x()) - r.left()).clamp(0.0, r.width() * 0.6))
                            }
                            Split::Map => {
                                next.map_frac = Some(((f64::from(e.client_y()) - r.top()) / r.height()).clamp(0.12, 0.88))
                            }
                        }
                        next.lesson_folded = next.lesson_px.is_some_and(|w| w < 80.0);
                        layout.set(next);
                    });
                let dragging = dragging_set.clone();
                let on_up = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |_| dragging.set(None));
                if let Some(w) = web_sys::window() {
                    let _ =
                        w.add_event_listener_with_callback("pointermove", wasm_bindgen::JsCast::unchecked_ref(on_move.as_ref()));
                    let _ = w.add_event_listener_with_callback("pointerup", wasm_bindgen::JsCast::unchecked_ref(on_up.as_ref()));
                }
                (on_move, on_up)
            });
            move || {
                if let (Some((on_move, on_up)), Some(w)) = (listeners, web_sys::window()) {
                    let _ = w.remove_event_listener_with_callback(
                        "pointermove",
                        wasm_bindgen::JsCast::unchecked_ref(on_move.as_ref()),
                    );
                    let _ =
                        w.remove_event_listener_with_callback("pointerup", wasm_bindgen::JsCast::unchecked_ref(on_up.as_ref()));
                }
            }
        });
    }
    let splitter = |split: Split| {
        let dragging = dragging.clone();
        let layout = layout.clone();
        let reset_layout = layout.clone();
        let on_down = Callback::from(move |e: web_sys::PointerEvent| {
            e.prevent_default();
            dragging.set(Some(split));
        });
        let on_key = Callback::from(move |e: KeyboardEvent| {
            let mut next = *layout;
            let step = if e.shift_key() { 80.0 } else { 24.0 };
            match (split, e.key().as_str()) {
                (Split::Lesson, "ArrowLeft") => next.lesson_px = Some((next.lesson_px.unwrap_or(300.0) - step).max(0.0)),
                (Split::Lesson, "ArrowRight") => next.lesson_px = Some(next.lesson_px.unwrap_or(300.0) + step),
                (Split::Lesson, "Enter") => next.lesson_folded = !next.lesson_folded,
                (Split::Map, "ArrowUp") => next.map_frac = Some((next.map_frac.unwrap_or(0.53) - 0.05).max(0.12)),
                (Split::Map, "ArrowDown") => next.map_frac = Some((next.map_frac.unwrap_or(0.53) + 0.05).min(0.88)),
                (Split::Map, "Enter") => next.map_frac = if next.map_frac.is_some_and(|f| f <= 0.13) { None } else { Some(0.12) },
                (_, "Escape") => next = Layout::default(),
                _ => return,
            }
            e.prevent_default();
            if split == Split::Lesson && e.key().starts_with("Arrow") {
                next.lesson_folded = next.lesson_px.is_some_and(|w| w < 80.0);
            }
            layout.set(next);
        });
        let reset = Callback::from(move |_: MouseEvent| reset_layout.set(Layout::default()));
        let (class, orientation, label) = match split {
            Split::Lesson => {
                ("split split-col", "vertical", "Resize the lesson pane (arrow keys; Enter folds it; double-click resets)")
            }
            Split::Map => {
                ("split split-row", "horizontal", "Resize the cluster map (arrow keys; Enter folds it; double-click resets)")
            }
        };
        html! {
            <div class={class} role="separator" aria-orientation={orientation} aria-label={label} title={label} tabindex="0"
                onpointerdown={on_down} onkeydown={on_key} ondblclick={reset} />
        }
    };
    let work_style = layout.style();
    // The highlighted copy behind the textarea scrolls with it.
    let hl_ref = use_node_ref();
    let on_editor_scroll = {
        let hl_ref = hl_ref.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(pre) = hl_ref.cast::<web_sys::Element>() {
                pre.set_scroll_top(area.scroll_top());
                pre.set_scroll_left(area.scroll_left());
            }
        })
    };
    let error_lines: std::collections::BTreeMap<u32, String> =
        state.markers.iter().map(|m| (m.line, format!("column {}: {}", m.column, m.message))).collect();
    let dispatch = |a: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(a()))
    };
    let now = state.world.borrow().now_ms();
    let speed_btn = |sp: Speed| {
        let state = state.clone();
        let active = state.speed == sp;
        html! {
            <button class={classes!("seg", active.then_some("on"))} aria-pressed={active.to_string()}
                id={format!("speed-{}", sp.factor())}
                onclick={Callback::from(move |_| state.dispatch(Action::SetSpeed(sp)))}>{ sp.label() }</button>
        }
    };
    let examples = EXAMPLES.iter().map(|ex| {
        let state = state.clone();
        let cmd = ex.to_string();
        html! { <li><button class="chip" onclick={Callback::from(move |_| state.dispatch(Action::Run(cmd.clone())))}><code>{ *ex }</code></button></li> }
    });
    // Presenter mode: → / PageDown (what clickers send) play the next step, ← / PageUp go back,
    // unless the speaker is typing in the terminal or the editor.
    {
        let state = state.clone();
        let presenting = state.demo.is_some();
        use_effect_with(presenting, move |on| {
            let listener = on.then(|| {
                let cb = wasm_bindgen::closure::Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                    let typing = e
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"));
                    if typing {
                        return;
                    }
                    match e.key().as_str() {
                        "ArrowRight" | "PageDown" => {
                            e.prevent_default();
                            state.dispatch(Action::DemoNext);
                        }
                        "ArrowLeft" | "PageUp" => {
                            e.prevent_default();
                            state.dispatch(Action::DemoPrev);
                        }
                        _ => {}
                    }
                });
                if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                    let _ = doc.add_event_listener_with_callback("keydown", wasm_bindgen::JsCast::unchecked_ref(cb.as_ref()));
                }
                cb
            });
            move || {
                if let (Some(cb), Some(doc)) = (listener, web_sys::window().and_then(|w| w.document())) {
                    let _ = doc.remove_event_listener_with_callback("keydown", wasm_bindgen::JsCast::unchecked_ref(cb.as_ref()));
                }
            }
        });
    }
    let on_share = {
        let state = state.clone();
        Callback::from(move |_| match state.share_fragment() {
            Ok(frag) => {
                let Some(w) = web_sys::window() else { return };
                let _ = w.location().set_hash(&frag);
                let url = w.location().href().unwrap_or_default();
                let _ = w.navigator().clipboard().write_text(&url);
                state.dispatch(Action::Notice(
                    format!("Link copied ({} characters): opening it replays this session to the identical cluster.", url.len()),
                    false,
                ));
            }
            Err(e) => state.dispatch(Action::Notice(format!("No link: {e}."), true)),
        })
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |line: String| state.dispatch(Action::Run(line)))
    };
    let on_demo = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = sel.value();
            state.dispatch(Action::OpenDemo(v.parse::<usize>().ok()));
        })
    };
    let demo_bar = state.demo.as_ref().and_then(|d| state.demos.get(d.index).map(|demo| (d.step, demo))).map(|(step, demo)| {
        let caption = demo.steps[..step].iter().rev().find_map(|s| s.caption.clone())
            .unwrap_or_else(|| "Press → (or your clicker) to begin.".into());
        let total = demo.steps.len();
        html! {
            <div class="demo-bar" role="region" aria-label="Presenter">
                <button class="seg" id="demo-prev" onclick={dispatch(|| Action::DemoPrev)} disabled={step == 0} title="Back (←)">{ "←" }</button>
                <span class="demo-step" id="demo-step">{ format!("{step}/{total}") }</span>
                <button class="seg" id="demo-next" onclick={dispatch(|| Action::DemoNext)} disabled={step >= total} title="Next (→)">{ "→" }</button>
                <strong class="demo-title">{ &demo.title }</strong>
                <span class="demo-caption" id="demo-caption" aria-live="polite">{ caption }</span>
            </div>
        }
    });
    // The pane the last played demo step asked for.
    let spot = state
        .demo
        .as_ref()
        .and_then(|d| state.demos.get(d.index).and_then(|demo| demo.steps[..d.step].iter().rev().find_map(|s| s.show.clone())))
        .unwrap_or_default();
    let demo_options = state.demos.iter().enumerate().map(|(i, d)| {
        let selected = state.demo.as_ref().is_some_and(|x| x.index == i);
        html! { <option value={i.to_string()} selected={selected}>{ &d.title }</option> }
    });
    html! {
        <div class={classes!("app", state.demo.is_some().then_some("presenter"))}>
            <header class="top">
                <h1>{ "kubeplay" }</h1>
                <span class="tag">{ "a k3s cluster, simulated in your browser" }</span>
                <div class="time" role="group" aria-label="Virtual time">
                    <span class="clock" id="clock" title="Virtual time since the cluster booted">{ clock(now) }</span>
                    { speed_btn(Speed::Paused) }
                    { speed_btn(Speed::X1) }
                    { speed_btn(Speed::X10) }
                    { speed_btn(Speed::X100) }
                    <button class="seg" onclick={dispatch(|| Action::Step)} title="Run the next simulation event">{ "step" }</button>
                    <button class="seg" id="settle" onclick={dispatch(|| Action::Settle)} title="Fast-forward until nothing changes">{ "settle" }</button>
                    if let Some(run) = state.settling {
                        <span class="settling" id="settling" role="status" aria-live="polite">
                            <span class="spinner" aria-hidden="true"></span>
                            { format!("settling… {} events, +{}", run.events, kubeplay_kubectl::duration::human(now.saturating_sub(run.from_ms) as i64)) }
                            <button class="seg stop" id="stop-settle" onclick={dispatch(|| Action::StopSettle)} title="Stop here; the clock pauses where the cluster is">{ "stop" }</button>
                        </span>
                    }
                </div>
                <button class="seg" id="undo" onclick={dispatch(|| Action::Undo)} title="Undo the last command: replay everything before it">{ "undo" }</button>
                <button class="seg" id="share" onclick={on_share} title="Put a link to this exact cluster in the address bar and the clipboard">{ "share" }</button>
                <label class="present">
                    <span>{ "Present" }</span>
                    <select id="demo-select" aria-label="Presenter mode: choose a demo" onchange={on_demo}>
                        <option value="" selected={state.demo.is_none()}>{ "off" }</option>
                        { for demo_options }
                    </select>
                </label>
            </header>
            { for demo_bar }
            <main class={classes!("work", layout.lesson_folded.then_some("lesson-folded"), dragging.is_some().then_some("dragging"))}
                style={work_style} ref={work_ref.clone()}>
                { splitter(Split::Lesson) }
                { splitter(Split::Map) }
                <aside class="pane lesson" aria-label="Lesson">
                    <lesson::LessonPane state={state.clone()} />
                    if state.lesson.is_none() {
                        <div class="prose">
                            if let Some(n) = &*notice {
                                <p class="notice" role="status">{ n }</p>
                            }
                            <p>{ "This is a one-node k3s cluster, simulated in the page. Nothing to install, nothing leaves your browser." }</p>
                            <p>{ "Pods: it's a container, that's it. Start one:" }</p>
                            <ul class="examples">{ for examples }</ul>
                            <p class="note">{ "Simulated: image pulls take seconds of virtual time and there is no real network; the kubectl output is what a real cluster prints." }</p>
                        </div>
                    }
                </aside>
                <section class={classes!("pane", "map-pane", (spot == "map").then_some("spotlight"))} aria-label="Cluster map">
                    <h2>{ "Cluster" }</h2>
                    <map::ClusterMap world={state.world.clone()} version={state.version} on_select={on_select} hits={state.hits.clone()} />
                    <events::EventsTimeline world={state.world.clone()} version={state.version} />
                    { commands_timeline(&state) }
                </section>
                <section class={classes!("pane", "editor-pane", (spot == "editor").then_some("spotlight"))} aria-label="YAML editor">
                    <h2>{ "Editor (YAML)" }</h2>
                    <div class="editor-wrap" style={format!("--gutter: {}ch", editor::gutter_chars(&state.editor))}>
                        <pre class="editor-hl" aria-hidden="true" ref={hl_ref.clone()}>{ editor::highlight(&state.editor, &error_lines) }</pre>
                        <textarea class="editor" id="editor" aria-label="Manifest YAML" spellcheck="false" wrap="off"
                            value={state.editor.clone()} oninput={on_input} onkeydown={on_editor_key} onscroll={on_editor_scroll} />
                    </div>
                    if !state.markers.is_empty() {
                        <ul class="marker" id="marker" role="status">
                            { for state.markers.iter().map(|m| html! {
                                <li>{ format!("line {}, column {}: {}", m.line, m.column, m.message) }</li>
                            }) }
                        </ul>
                    }
                    <div class="actions">
                        <button id="apply" onclick={dispatch(|| Action::Apply)} title="Ctrl+Enter">{ "Apply" }</button>
                        <button id="reset" class="secondary" onclick={dispatch(|| Action::ResetEditor)}>{ "Reset" }</button>
                    </div>
                </section>
                <Terminal state={state.clone()} spot={spot == "terminal"} />
            </main>
        </div>
    }
}

/// The page's bench mode (`?bench=NODES,PODS` or `?bench=lessons`), for `cargo xtask bench`:
/// runs the workload in wasm, timed with `performance.now()`, and writes the figures as JSON
/// into `<pre id="bench-result">` instead of starting the app.
fn bench_mode(query: &str) -> Option<String> {
    let spec = query.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("bench="))?;
    let perf = web_sys::window()?.performance()?;
    let memory = || {
        wasm_bindgen::JsCast::dyn_into::<js_sys::WebAssembly::Memory>(wasm_bindgen::memory())
            .ok()
            .and_then(|m| wasm_bindgen::JsCast::dyn_into::<js_sys::ArrayBuffer>(m.buffer()).ok())
            .map_or(0, |b| b.byte_length())
    };
    if spec == "lessons" {
        let lessons = state::bundled_lessons();
        let mut ms = Vec::new();
        for l in &lessons {
            for (i, st) in l.steps.iter().enumerate() {
                if let Some(sol) = st.solutions.first() {
                    // As in the page: the step's cluster is prepared when the step opens.
                    let _ = kubeplay_lessons::engine::prepare(l, i, None);
                    let t = perf.now();
                    let _ = kubeplay_lessons::check(l, i, sol, None);
                    ms.push(perf.now() - t);
                }
            }
        }
        ms.sort_by(f64::total_cmp);
        let pick = |q: f64| ms.get(((ms.len().max(1) - 1) as f64 * q).round() as usize).copied().unwrap_or(0.0);
        return Some(format!(
            "{{\"steps\":{},\"p50_ms\":{:.2},\"p95_ms\":{:.2},\"memory_bytes\":{}}}",
            ms.len(),
            pick(0.5),
            pick(0.95),
            memory()
        ));
    }
    let (n, p) = spec.split_once(',')?;
    let (nodes, pods): (u32, u32) = (n.parse().ok()?, p.parse().ok()?);
    let boot = perf.now();
    let mut world = kubeplay_sim::bench::cluster(nodes);
    let t = perf.now();
    kubeplay_sim::bench::apply_workload(&mut world, pods);
    let events = kubeplay_sim::bench::run_to_completion(&mut world);
    let seconds = (perf.now() - t) / 1000.0;
    let boot_seconds = (t - boot) / 1000.0;
    Some(format!(
        "{{\"nodes\":{nodes},\"pods\":{pods},\"boot_seconds\":{boot_seconds:.4},\"seconds\":{seconds:.4},\"events\":{events},\"running\":{},\"pods_per_second\":{:.1},\"memory_bytes\":{}}}",
        kubeplay_sim::bench::running(&world),
        f64::from(pods) / seconds.max(1e-9),
        memory()
    ))
}

/// Mounts the app into `<body>`.
pub fn start() {
    // A panic would leave a dead page: show what happened and offer a reload instead.
    // (Saved progress is in localStorage and survives the reload.)
    std::panic::set_hook(Box::new(|info| {
        let msg = info.to_string().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.insert_adjacent_html(
                "afterbegin",
                &format!(
                    "<div class=\"panic-panel\" role=\"alert\"><strong>kubeplay hit a bug and stopped.</strong> \
                     Your lesson progress is saved. <button onclick=\"location.reload()\">Reload</button>\
                     <pre>{msg}</pre></div>"
                ),
            );
        }
    }));
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    if query.contains("bench=") {
        let result = bench_mode(&query).unwrap_or_else(|| "{\"error\":\"bad bench spec\"}".into());
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            body.set_inner_html(&format!("<pre id=\"bench-result\">{result}</pre>"));
        }
        return;
    }
    yew::Renderer::<App>::new().render();
}
