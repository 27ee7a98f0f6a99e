//! `gitopsc rules` and `gitopsc explain ID`.

use crate::check::{all_rules, find_rule};
use std::process::ExitCode;

pub fn list() -> ExitCode {
    let rules = all_rules();
    let w = rules
        .iter()
        .map(|r| r.name().len())
        .max()
        .unwrap_or(0)
        .max(4);
    println!(
        "{:<8} {:<8} {:<11} {:<w$} summary",
        "id", "severity", "domain", "name"
    );
    for r in rules {
        println!(
            "{:<8} {:<8} {:<11} {:<w$} {}",
            r.id(),
            r.default_severity().to_string(),
            r.domain(),
            r.name(),
            r.summary()
        );
    }
    ExitCode::SUCCESS
}

pub fn explain(id: &str) -> ExitCode {
    match find_rule(id) {
        Some(r) => {
            println!(
                "{} {} ({}, {} by default)\n",
                r.id(),
                r.name(),
                r.domain(),
                r.default_severity()
            );
            println!("{}", r.summary());
            println!();
            println!("{}", r.docs());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: no rule '{id}'; `gitopsc rules` lists them");
            ExitCode::from(super::EXIT_ERROR)
        }
    }
}
