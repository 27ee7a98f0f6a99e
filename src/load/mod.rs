//! Load stage: turning bytes into typed trees (YAML today; HCL, pfSense
//! vars join here).

pub mod commit;
pub mod yaml;
