//! kubeplay-lessons: the lesson format, loading and validation of lessons and packs, the
//! engine that judges a learner's answer against the converged cluster, `verify` for
//! lesson authors, and safe markdown rendering. Pure: the same code runs in the browser and
//! natively (only `load` touches the file system).

pub mod demo;
pub mod engine;
pub mod format;
pub mod load;
pub mod markdown;
pub mod verify;

/// The directory, relative to the repository root, that holds the bundled lessons.
pub const LESSONS_DIR: &str = "lessons";

pub use engine::{check, CheckResult, Verdict};
pub use format::{Answer, Lesson};
