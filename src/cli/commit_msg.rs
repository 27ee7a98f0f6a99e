//! `gitopsc commit-msg`: Husky's `commit-msg` hook, with commitlint's
//! contract (`commitlint --edit $1`): read the message file, drop git's
//! comment lines and the scissors section, lint, print commitlint's
//! report, exit 1 on errors. Without `--edit`, the message comes from
//! standard input (`echo "$msg" | gitopsc commit-msg`).

use super::commits::{lint_config, outputs, repo_root, write_reports};
use crate::check::Severity;
use crate::check::commits::{self, FormatOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CommitMsgArgs {
    /// The message file git passes to the hook (default: .git/COMMIT_EDITMSG).
    #[arg(long, short = 'e', value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
    pub edit: Option<PathBuf>,
    /// Report format, optionally written to a file: `json`, `junit=report.xml`,
    /// `codequality=…`, `sarif=…`, `human` (commitlint's output, the default).
    #[arg(long = "format", value_name = "FMT[=PATH]")]
    pub formats: Vec<String>,
    /// Also report a message without problems.
    #[arg(long, short = 'V')]
    pub verbose: bool,
    /// Exit 2 on warnings and 3 on errors, like `commitlint --strict`.
    #[arg(long)]
    pub strict: bool,
}

/// The git comment character: `core.commentChar` from the repository's,
/// the user's and the XDG git config (read directly, no git process), or
/// `#`. `auto` means `#` for a message being written.
fn comment_char(root: &Path) -> String {
    let mut files = vec![root.join(".git/config")];
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME") {
        files.push(PathBuf::from(x).join("git/config"));
    }
    if let Some(h) = std::env::var_os("HOME") {
        files.push(PathBuf::from(&h).join(".config/git/config"));
        files.push(PathBuf::from(h).join(".gitconfig"));
    }
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let mut in_core = false;
        for line in text.lines() {
            let l = line.trim();
            if l.starts_with('[') {
                in_core = l.to_ascii_lowercase().starts_with("[core");
                continue;
            }
            if !in_core {
                continue;
            }
            if let Some((k, v)) = l.split_once('=')
                && k.trim().eq_ignore_ascii_case("commentchar")
            {
                let v = v.trim().trim_matches('"');
                if !v.is_empty() && v != "auto" {
                    return v.to_string();
                }
            }
        }
    }
    "#".to_string()
}

pub fn run(args: CommitMsgArgs) -> ExitCode {
    let outs = match outputs(&args.formats) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let root = repo_root();
    let (message, comment, file) = match &args.edit {
        Some(p) => {
            let path = if p.as_os_str().is_empty() {
                root.join(".git/COMMIT_EDITMSG")
            } else {
                p.clone()
            };
            match std::fs::read(&path) {
                // commitlint reads the file as UTF-8 and appends a newline.
                Ok(bytes) => (
                    format!("{}\n", String::from_utf8_lossy(&bytes)),
                    Some(comment_char(&root)),
                    path.to_string_lossy().into_owned(),
                ),
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", path.display());
                    return ExitCode::from(super::EXIT_ERROR);
                }
            }
        }
        None => {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
                eprintln!("error: cannot read standard input: {e}");
                return ExitCode::from(super::EXIT_ERROR);
            }
            (
                String::from_utf8_lossy(&buf).into_owned(),
                None,
                "<stdin>".to_string(),
            )
        }
    };
    if crate::load::commit::js::trim(&message).is_empty() {
        if args.edit.is_some() {
            // An empty message file: git aborts the commit itself.
            return ExitCode::SUCCESS;
        }
        println!("[input] is required: supply via stdin, or --edit FILE");
        return ExitCode::from(1);
    }
    let Ok((cfg, _)) = lint_config(&root) else {
        return ExitCode::from(super::EXIT_ERROR);
    };
    let outcome = commits::lint(&message, &cfg, comment.as_deref());
    let diags = commits::diagnostics(&outcome, &file, None);
    let human = |color: bool| {
        let o = FormatOptions {
            color,
            verbose: args.verbose,
            help_url: cfg.help_url.clone(),
        };
        commits::format(&[(None, &outcome)], &o)
    };
    if write_reports(&outs, &diags, std::slice::from_ref(&file), &human).is_err() {
        return ExitCode::from(super::EXIT_ERROR);
    }
    let errors = diags.iter().any(|d| d.severity == Severity::Error);
    let warnings = diags.iter().any(|d| d.severity == Severity::Warning);
    match (args.strict, errors, warnings) {
        (true, true, _) => ExitCode::from(3),
        (true, false, true) => ExitCode::from(2),
        (false, true, _) => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}
