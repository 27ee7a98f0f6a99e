//! `gitopsc kustomize build DIR`: a drop-in for `kustomize build`.

use crate::hydrate::kustomize::{self, BuildOptions, LoadRestrictor, Reorder};
use crate::report::human::LocatedError;
use crate::source::DiskFs;
use clap::{Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum KustomizeCommand {
    /// Print the resources of a kustomization, exactly as `kustomize build`.
    Build {
        /// Directory holding the kustomization.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Whether files may come from outside the kustomization's directory.
        #[arg(
            long = "load-restrictor",
            value_enum,
            default_value = "LoadRestrictionsRootOnly"
        )]
        load_restrictor: RestrictorArg,
        /// Output order: `legacy` (kind-based) or `none` (input order).
        #[arg(long, value_enum)]
        reorder: Option<ReorderArg>,
        /// Write the output to this file instead of stdout.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RestrictorArg {
    #[value(name = "LoadRestrictionsRootOnly")]
    RootOnly,
    #[value(name = "LoadRestrictionsNone")]
    None,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReorderArg {
    Legacy,
    None,
}

pub fn run(cmd: KustomizeCommand) -> ExitCode {
    match cmd {
        KustomizeCommand::Build {
            dir,
            load_restrictor,
            reorder,
            output,
        } => build(&dir, load_restrictor, reorder, output.as_deref()),
    }
}

/// The sandbox for a build: the enclosing git work tree, else `/` (kustomize
/// itself lets bases sit anywhere; the load restrictor still applies).
fn sandbox_root(dir: &Path) -> PathBuf {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut cur = Some(abs.as_path());
    while let Some(d) = cur {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        cur = d.parent();
    }
    PathBuf::from("/")
}

fn build(
    dir: &Path,
    restrictor: RestrictorArg,
    reorder: Option<ReorderArg>,
    output: Option<&Path>,
) -> ExitCode {
    let options = BuildOptions {
        restrictor: match restrictor {
            RestrictorArg::RootOnly => LoadRestrictor::RootOnly,
            RestrictorArg::None => LoadRestrictor::None,
        },
        reorder: reorder.map(|r| match r {
            ReorderArg::Legacy => Reorder::Legacy,
            ReorderArg::None => Reorder::None,
        }),
    };
    let fail = |e: &kustomize::KustError| {
        eprintln!("{:?}", miette::Report::new(LocatedError::from_kust(e)));
        ExitCode::from(super::EXIT_ERROR)
    };
    let fs = match DiskFs::new(&sandbox_root(dir)) {
        Ok(fs) => fs,
        Err(e) => return fail(&kustomize::KustError::from(e)),
    };
    let result = match kustomize::build(&fs, dir, &options) {
        Ok(b) => b,
        Err(e) => return fail(&e),
    };
    for w in &result.warnings {
        eprintln!("{w}");
    }
    let text = kustomize::render(&result.resources);
    let written = match output {
        Some(path) => write_atomic(path, text.as_bytes()),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|_| out.flush())
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            ExitCode::from(super::EXIT_ERROR)
        }
    }
}

/// Writes through a temporary file and a rename, so readers never see a
/// partial file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}
