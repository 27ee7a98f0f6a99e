//! Report stage: how errors and findings reach people and tools. Every
//! format is a pure function of the sorted diagnostics: same input, same
//! bytes.

pub mod codequality;
pub mod human;
pub mod json;
pub mod junit;
pub mod merge;
pub mod sarif;

use std::str::FromStr;

/// Output formats of `gitopsc check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Junit,
    CodeQuality,
    Sarif,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" | "text" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "junit" => Ok(Format::Junit),
            "codequality" | "gitlab" => Ok(Format::CodeQuality),
            "sarif" => Ok(Format::Sarif),
            other => Err(format!(
                "unknown format '{other}' (expected human, json, junit, codequality or sarif)"
            )),
        }
    }
}
