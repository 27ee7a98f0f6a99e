//! Report stage: how errors and findings reach people and tools.

pub mod human;
