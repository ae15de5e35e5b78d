//! The kubeplay page (yew CSR). UI only: every action goes through `state::Action` and one
//! reducer; the cluster lives in kubeplay-sim and commands run through kubeplay-kubectl.

mod state;

pub use state::SAMPLE;

use state::{Action, AppState};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::new);
    let on_input = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::Edit(area.value()));
        })
    };
    let on_apply = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Apply))
    };
    let on_reset = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ResetEditor))
    };
    let lines = state.terminal.iter().map(|l| {
        let class = match l.kind {
            state::LineKind::Command => "cmd",
            state::LineKind::Out => "out",
            state::LineKind::Err => "err",
        };
        html! { <span class={class}>{ &l.text }</span> }
    });
    html! {
        <div class="app">
            <header class="top">
                <h1>{ "kubeplay" }</h1>
                <span class="tag">{ "a Kubernetes playground that runs in your browser" }</span>
            </header>
            <main class="work">
                <section class="pane" aria-label="YAML editor">
                    <h2>{ "Editor (YAML)" }</h2>
                    <textarea class="editor" id="editor" aria-label="Manifest YAML" spellcheck="false"
                        value={state.editor.clone()} oninput={on_input} />
                    if let Some(m) = &state.marker {
                        <div class="marker" id="marker" role="status">{ m }</div>
                    }
                    <div class="actions">
                        <button id="apply" onclick={on_apply}>{ "Apply" }</button>
                        <button id="reset" class="secondary" onclick={on_reset}>{ "Reset" }</button>
                    </div>
                </section>
                <section class="pane" aria-label="Terminal">
                    <h2>{ "Terminal" }</h2>
                    <pre class="terminal" id="terminal" aria-live="polite">{ for lines }</pre>
                </section>
            </main>
        </div>
    }
}

/// Mounts the app into `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
