//! External corpora in one test target, one line per corpus:
//! `<corpus>: N passed, M failed`.
//!
//! Each corpus is read from `GITOPSC_<CORPUS>_CORPUS` (default
//! `../shared/conformance/<corpus>`), skipped with a message when absent, and
//! fails only when its pass count drops below the floor in
//! `tests/conformance/floors.txt` (a ratchet: raise it as the count grows).
//! `GITOPSC_CONFORMANCE_FILTER=regex` limits the cases and prints each failure.
//! Run: `cargo test --release --test conformance -- --nocapture`.

mod commits;
mod common;
mod gatekeeper;
mod kubeconform;
mod kustomize;
