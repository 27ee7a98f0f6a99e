//! Load stage: turning bytes into typed trees (YAML today; HCL, pfSense
//! vars and commit messages join here).

pub mod yaml;
