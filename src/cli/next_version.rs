//! `gitopsc next-version`: the release type and version semantic-release
//! would publish from the commits since the last release tag, with its
//! default commit analyzer (angular preset) or the conventionalcommits
//! preset.

use super::commits::{git, log, repo_root};
use crate::check::commits::release::{self, RawCommit};
use crate::check::commits::semver::Version;
use crate::load::commit::Preset;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum PresetArg {
    Angular,
    Conventionalcommits,
}

#[derive(clap::Args, Debug)]
pub struct NextVersionArgs {
    /// The last release tag (default: the highest `vX.Y.Z` tag merged into HEAD).
    #[arg(long)]
    pub from: Option<String>,
    /// The last commit to consider.
    #[arg(long, default_value = "HEAD")]
    pub to: String,
    /// Commit parser preset (default: gitopsc.yaml `commits.preset`, else angular,
    /// semantic-release's default).
    #[arg(long, value_enum)]
    pub preset: Option<PresetArg>,
    /// `text` (default) or `json`.
    #[arg(long, default_value = "text")]
    pub format: String,
}

pub fn run(args: NextVersionArgs) -> ExitCode {
    let root = repo_root();
    let preset = match args.preset {
        Some(PresetArg::Angular) => Preset::Angular,
        Some(PresetArg::Conventionalcommits) => Preset::ConventionalCommits,
        None => {
            let Ok((_, config)) = super::commits::lint_config(&root) else {
                return ExitCode::from(super::EXIT_ERROR);
            };
            match config
                .commits
                .as_ref()
                .and_then(|c| c.get("preset"))
                .and_then(|p| p.as_str())
            {
                Some("conventionalcommits") => Preset::ConventionalCommits,
                _ => Preset::Angular,
            }
        }
    };
    let last_tag = match &args.from {
        Some(t) => Some(t.clone()),
        None => match git(&root, &["tag", "--merged", &args.to]) {
            Ok(out) => out
                .lines()
                .filter_map(|t| {
                    t.strip_prefix('v')
                        .and_then(Version::parse)
                        .map(|v| (v, t.to_string()))
                })
                .filter(|(v, _)| v.prerelease.is_empty())
                .max_by(|a, b| {
                    (a.0.major, a.0.minor, a.0.patch).cmp(&(b.0.major, b.0.minor, b.0.patch))
                })
                .map(|(_, t)| t),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(super::EXIT_ERROR);
            }
        },
    };
    let last_version = match &last_tag {
        Some(t) => match Version::parse(t) {
            Some(v) => Some(v.to_string()),
            None => {
                eprintln!("error: tag {t} is not a semantic version (expected vX.Y.Z)");
                return ExitCode::from(super::EXIT_ERROR);
            }
        },
        None => None,
    };
    let range = match &last_tag {
        Some(t) => format!("{t}..{}", args.to),
        None => args.to.clone(),
    };
    let commits = match log(&root, &range) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let raw: Vec<RawCommit> = commits
        .iter()
        .map(|(h, m)| RawCommit {
            message: m,
            hash: Some(h),
        })
        .collect();
    let rt = release::analyze(&raw, preset);
    let next = release::next_version(last_version.as_deref(), rt);
    let rt_name = rt.map_or("none", |t| t.as_str());
    if args.format == "json" {
        let v = serde_json::json!({
            "release_type": rt_name,
            "next_version": next,
            "last_version": last_version,
            "last_tag": last_tag,
            "commits": commits.len(),
            "preset": match preset { Preset::Angular => "angular", Preset::ConventionalCommits => "conventionalcommits" },
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!("release type: {rt_name}");
        println!(
            "next version: {}",
            next.as_deref().unwrap_or("(no release)")
        );
        println!(
            "last version: {}",
            match (&last_version, &last_tag) {
                (Some(v), Some(t)) => format!("{v} ({t})"),
                _ => "(none: first release)".into(),
            }
        );
        println!("commits analysed: {} ({range})", commits.len());
    }
    ExitCode::SUCCESS
}
