//! kubeplay-cli's library half: the script runner shared by the `kubeplay` binary and the
//! scenario tests.

pub mod bench;
pub mod script;
