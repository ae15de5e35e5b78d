//! kubeplay-lessons: the lesson format, loading and checking against the converged cluster.
//! Lessons arrive with the lesson-engine issue; today this crate only fixes its place in
//! the crate stack (it may depend on kubeplay-sim and kubeplay-kubectl, never on the web).

/// The directory, relative to the repository root, that holds the bundled lessons.
pub const LESSONS_DIR: &str = "lessons";
