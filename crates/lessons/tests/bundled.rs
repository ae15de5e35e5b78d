//! The bundled lessons verify: every reference solution passes, every known-wrong answer
//! fails with its feedback; and bad packs are reported, not crashed on.

use std::path::Path;

fn lessons_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons")
}

#[test]
fn bundled_lessons_verify() {
    let lessons = kubeplay_lessons::load::load(&lessons_dir()).unwrap_or_else(|e| panic!("lessons do not load: {e:?}"));
    assert!(lessons.len() >= 5, "only {} lessons", lessons.len());
    let report = kubeplay_lessons::verify::verify(&lessons);
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n\n"));
    assert!(report.answers_checked >= 2 * lessons.len() as u32);
    for l in &lessons {
        assert!(!l.body.trim().is_empty(), "lesson {} has no prose", l.id);
        let wrong: usize = l.steps.iter().map(|s| s.wrong.len()).sum();
        assert!(wrong >= 2, "lesson {} has {wrong} known-wrong answers", l.id);
    }
}

#[test]
fn bad_packs_give_errors() {
    assert!(kubeplay_lessons::load::parse_pack("not: [a pack").is_err());
    let errs =
        kubeplay_lessons::load::parse_pack("pack: p\nlessons:\n- id: x\n  title: t\n  minutes: 1\n  steps: []\n").unwrap_err();
    assert!(errs.iter().any(|e| e.contains("has no steps")), "{errs:?}");
    let errs =
        kubeplay_lessons::load::parse_pack("pack: p\nlessons:\n- id: x\n  title: t\n  minutes: 1\n  stpes: []\n").unwrap_err();
    assert!(errs.iter().any(|e| e.contains("unknown field")), "{errs:?}");
}

#[test]
fn a_wrong_answer_is_explained_in_learner_terms() {
    let lessons = kubeplay_lessons::load::load(&lessons_dir().join("05-services")).unwrap();
    let answer = kubeplay_lessons::Answer {
        yaml: Some("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: frontend\n  ports:\n  - port: 80\n".into()),
        commands: vec![],
    };
    let v = kubeplay_lessons::check(&lessons[0], 0, &answer, None);
    assert!(!v.passed);
    let failed: Vec<_> = v.checks.iter().filter(|c| !c.pass).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].explanation, "Service web selects app=frontend, but your pods are labelled app=web");
}
