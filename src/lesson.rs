//! The lesson pane: a lessons menu with progress, the lesson's prose, the current step's
//! task, hints one at a time, and "Check" with a checklist that explains every failure.

use crate::state::{Action, AppState};
use yew::prelude::*;

fn markdown(md: &str) -> Html {
    // Sanitised by kubeplay-lessons: no raw HTML, no javascript: links.
    Html::from_html_unchecked(AttrValue::from(kubeplay_lessons::markdown::to_html(md)))
}

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub state: UseReducerHandle<AppState>,
}

#[function_component(LessonPane)]
pub fn lesson_pane(props: &LessonProps) -> Html {
    let state = props.state.clone();
    // A new verdict scrolls into view, so "Check" always shows its answer.
    {
        let has_verdict = state.lesson.as_ref().and_then(|l| l.verdict.as_ref()).map(|(p, c)| (*p, c.len()));
        use_effect_with(has_verdict, |v| {
            if v.is_some() {
                if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("verdict")) {
                    el.scroll_into_view();
                }
            }
        });
    }
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = sel.value();
            state.dispatch(Action::OpenLesson(v.parse::<usize>().ok()));
        })
    };
    let on_pack = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let text =
                    wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
                state.dispatch(Action::LoadPack(name, text));
            });
        })
    };
    let builtin = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::BuiltinLessons))
    };
    let on_pack_url = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(w) = web_sys::window() else { return };
            let Ok(Some(url)) =
                w.prompt_with_message("URL of a lesson pack (one YAML file; the server must allow this page to fetch it):")
            else {
                return;
            };
            if !url.trim().is_empty() {
                fetch_pack(state.clone(), url.trim().to_string());
            }
        })
    };
    let current = state.lesson.as_ref().map(|l| l.index);
    let options = state.lessons.iter().enumerate().map(|(i, l)| {
        let done = state.progress.get(&l.id).copied().unwrap_or(0);
        let mark = if done >= l.steps.len() { "✓ " } else { "" };
        html! { <option value={i.to_string()} selected={current == Some(i)}>{ format!("{mark}{}. {}", i + 1, l.title) }</option> }
    });
    let menu = html! {
        <div class="lesson-menu">
            <label for="lesson-select">{ "Lesson" }</label>
            <select id="lesson-select" {onchange}>
                <option value="sandbox" selected={current.is_none()}>{ "Sandbox (no lesson)" }</option>
                { for options }
            </select>
            <label class="pack-load" title="A lesson pack: one YAML file in the format of lessons/README.md">
                { "Load a pack…" }
                <input type="file" id="pack-file" accept=".yaml,.yml" onchange={on_pack} />
            </label>
            <button class="link" id="pack-url" onclick={on_pack_url} title="Fetch a lesson pack from a URL (or open the page with ?pack=URL)">{ "from URL…" }</button>
            if let Some(p) = &state.pack {
                <span class="pack-name">{ format!("pack: {p}") }</span>
                <button class="link" id="builtin-lessons" onclick={builtin}>{ "built-in lessons" }</button>
            }
        </div>
    };
    let Some(ls) = state.lesson.clone() else {
        return html! { <><h2>{ "Sandbox" }</h2>{ menu }</> };
    };
    let Some(lesson) = state.lessons.get(ls.index).cloned() else { return menu };
    let step = &lesson.steps[ls.step];
    let n = lesson.steps.len();
    let cb = |a: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(a()))
    };
    let goto = |s: usize| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::GotoStep(s)))
    };
    let hints = step.hints.iter().take(ls.hints_shown).map(|h| html! { <li class="hint">{ markdown(h) }</li> });
    let verdict = ls.verdict.as_ref().map(|(passed, checks)| {
        let items = checks.iter().map(|c| {
            html! {
                <li class={classes!("check", if c.pass { "pass" } else { "fail" })}>
                    <span class="mark" aria-hidden="true">{ if c.pass { "✓" } else { "✗" } }</span>
                    <span class="what">{ &c.description }</span>
                    if !c.pass { <div class="why">{ &c.explanation }</div> }
                </li>
            }
        });
        html! {
            <div class={classes!("verdict", if *passed { "passed" } else { "failed" })} id="verdict" role="status">
                <p class="verdict-title">{ if *passed { "Step complete." } else { "Not yet:" } }</p>
                <ul class="checks">{ for items }</ul>
                if *passed && ls.step + 1 < n {
                    <button class="primary" onclick={goto(ls.step + 1)}>{ "Next step →" }</button>
                }
                if *passed && ls.step + 1 == n && ls.index + 1 < state.lessons.len() {
                    <button class="primary" onclick={{
                        let state = state.clone();
                        let next = ls.index + 1;
                        Callback::from(move |_| state.dispatch(Action::OpenLesson(Some(next))))
                    }}>{ "Next lesson →" }</button>
                }
            </div>
        }
    });
    // The goal, judged live against the cluster the learner is changing (until "Check"
    // gives the verdict on a fresh, settled cluster).
    let goal = ls.verdict.is_none().then(|| {
        let items = kubeplay_lessons::engine::goal(&state.world.borrow(), step);
        let met = items.iter().filter(|g| g.pass == Some(true)).count();
        let judged = items.iter().filter(|g| g.pass.is_some()).count();
        let rows = items.into_iter().map(|g| {
            let (class, mark, label) = match g.pass {
                Some(true) => ("pass", "✓", "met"),
                Some(false) => ("fail", "✗", "not yet"),
                None => ("later", "·", "judged by Check"),
            };
            html! {
                <li class={classes!("check", class)} aria-label={format!("{label}: {}", g.description)}>
                    <span class="mark" aria-hidden="true">{ mark }</span>
                    <span class="what">{ g.description }</span>
                    if g.pass == Some(false) { <div class="why">{ g.explanation }</div> }
                    if g.pass.is_none() { <div class="why">{ "traffic: judged when you press Check" }</div> }
                </li>
            }
        });
        html! {
            <div class="goal" id="goal" aria-live="polite">
                <p class="goal-title">{ format!("Goal · {met} of {judged} met now") }</p>
                <ul class="checks">{ for rows }</ul>
            </div>
        }
    });
    html! {
        <>
            <h2>{ format!("Lesson {} · {} min", ls.index + 1, lesson.minutes) }</h2>
            { menu }
            <div class="prose lesson-body">
                { markdown(&lesson.body) }
                <div class="step" id="step">
                    <p class="step-title">{ format!("Step {} of {}", ls.step + 1, n) }</p>
                    { markdown(&step.task) }
                    if ls.hints_shown > 0 {
                        <ul class="hints">{ for hints }</ul>
                    }
                    { for goal }
                    <div class="step-actions">
                        <button class="primary" id="check" onclick={cb(|| Action::Check)}>{ "Check" }</button>
                        if ls.hints_shown < step.hints.len() {
                            <button class="secondary" id="hint" onclick={cb(|| Action::ShowHint)}>{ "Hint" }</button>
                        }
                        if ls.step > 0 {
                            <button class="secondary" onclick={goto(ls.step - 1)}>{ "← Previous" }</button>
                        }
                    </div>
                    { for verdict }
                </div>
            </div>
        </>
    }
}

/// Fetches a lesson pack from `url` (the browser's own rules decide what the page may fetch)
/// and loads it as a picked file would be; failures say what went wrong in the terminal.
pub fn fetch_pack(state: UseReducerHandle<AppState>, url: String) {
    wasm_bindgen_futures::spawn_local(async move {
        let fail = |state: &UseReducerHandle<AppState>, why: String| {
            state.dispatch(Action::Notice(format!("Could not load a lesson pack from {url}: {why}."), true));
        };
        let Some(w) = web_sys::window() else { return };
        let resp = match wasm_bindgen_futures::JsFuture::from(w.fetch_with_str(&url)).await {
            Ok(r) => r,
            Err(_) => {
                return fail(&state, "the request failed (offline, or the server does not allow this page to fetch it)".into())
            }
        };
        let Ok(resp) = wasm_bindgen::JsCast::dyn_into::<web_sys::Response>(resp) else {
            return fail(&state, "no response".into());
        };
        if !resp.ok() {
            return fail(&state, format!("HTTP {}", resp.status()));
        }
        let text = match resp.text() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
            Err(_) => String::new(),
        };
        state.dispatch(Action::LoadPack(url.clone(), text));
    });
}
