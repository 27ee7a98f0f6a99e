//! One file per rule. Add a rule by writing its file and listing it here.

mod kus001_build_failed;

pub use kus001_build_failed::BuildFailed;

use super::Rule;

pub static ALL: &[&dyn Rule] = &[&BuildFailed];
