//! wasm tests of the page, run in headless Chromium by wasm-bindgen-test: the app renders
//! into the DOM, and the simulator gives the same state hash in wasm as natively.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_renders_editor_and_apply() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<kubeplay_web::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let html = root.inner_html();
    assert!(html.contains("kubeplay"), "{html}");
    assert!(html.contains("id=\"apply\""), "{html}");
    use wasm_bindgen::JsCast;
    let editor: web_sys::HtmlTextAreaElement = document.get_element_by_id("editor").unwrap().dyn_into().unwrap();
    assert!(editor.value().contains("kind: Deployment"), "{}", editor.value());
}

#[wasm_bindgen_test]
fn apply_in_wasm_matches_native_output() {
    let mut world = kubeplay_sim::World::new(1);
    let env = kubeplay_kubectl::Env { files: &kubeplay_kubectl::NoFiles, stdin: Some(kubeplay_web::SAMPLE) };
    let out = kubeplay_kubectl::run(&mut world, "kubectl apply -f -", &env);
    assert_eq!(out.stdout, "deployment.apps/web created\n");
    assert_eq!(out.exit_code, 0);
}

/// The fixed random sessions give, in wasm, the same trace as natively: the same state hash
/// and the same store writes after every input (`crates/kubectl/tests/determinism.rs` keeps
/// the native traces in the fixture). A difference names the first input where it starts
/// and the writes wasm made there.
#[wasm_bindgen_test]
fn fixed_random_sessions_match_their_native_traces() {
    use kubeplay_kubectl::random_session::{check_fixture, generate, play};
    let fixture = include_str!("../crates/kubectl/tests/fixtures/determinism.txt");
    let lines: Vec<&str> = fixture.lines().collect();
    assert!(lines.len() >= 50, "the fixture pins {} sessions", lines.len());
    let mut differing = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if let Some(d) = check_fixture(line, n as u64, &play(&generate(n as u64))) {
            differing.push(d);
        }
    }
    assert!(differing.is_empty(), "{} session(s) differ from native:\n{}", differing.len(), differing.join("\n"));
}
