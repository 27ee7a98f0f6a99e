//! `gitopsc build`: hydrate every target into `rendered/<env>/<app>.yaml`
//! plus an index, written atomically.

use super::repo;
use crate::emit::argocd::{self, RenderedTarget};
use crate::emit::tree::OutputTree;
use crate::hydrate::kustomize::ResMap;
use crate::hydrate::targets::{Hydrated, Rendered, hydrate_all_with, sha256_hex};
use crate::report::human::LocatedError;
use crate::resolve::Target;
use crate::source::DiskFs;
use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Repository root.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// Output directory (default: `output.dir` of gitopsc.yaml, or `rendered`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only this environment.
    #[arg(long)]
    pub env: Option<String>,
    /// Only this app.
    #[arg(long)]
    pub app: Option<String>,
}

pub fn run(args: BuildArgs) -> ExitCode {
    let Ok(repo) = repo::open(&args.repo, args.env.as_deref(), args.app.as_deref()) else {
        return ExitCode::from(super::EXIT_ERROR);
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| repo.root.join(repo.config.output_dir()));
    let fs = match DiskFs::new(&repo.root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let progress = super::progress::Progress::new(repo.targets.len(), "building");
    let hydrated = hydrate_all_with(&fs, &repo.root, &repo.targets, &|| progress.inc());
    progress.finish();
    let mut tree = OutputTree::default();
    let mut failed = 0;
    for h in &hydrated {
        match &h.result {
            Ok(r) => {
                for w in &r.warnings {
                    eprintln!("{}: {w}", h.target.id());
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("{:?}", miette::Report::new(LocatedError::from_kust(e)));
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "error: {failed} of {} targets failed to build; {} left unchanged",
            hydrated.len(),
            display(&out_dir)
        );
        return ExitCode::from(1);
    }
    // Index entries (a hash of each output) in parallel: with thousands of
    // targets this is no longer small next to the builds.
    let index: Vec<_> = hydrated
        .par_iter()
        .filter_map(|h| h.result.as_ref().ok().map(|r| index_entry(h, r)))
        .collect();
    let mut argocd_files = Vec::new();
    if repo.config.argocd.enabled != Some(false) {
        let rendered: Vec<RenderedTarget> = hydrated
            .par_iter()
            .filter_map(|h| {
                h.result
                    .as_ref()
                    .ok()
                    .map(|r| rendered_target(&h.target, &r.resources))
            })
            .collect();
        match argocd::generate(&repo.root, &repo.config, &rendered) {
            Ok(files) => {
                for (path, text) in files {
                    argocd_files.push(path.clone());
                    tree.add(path, text);
                }
            }
            Err(e) => {
                eprintln!(
                    "error: Argo CD generation failed: {e}; {} left unchanged",
                    display(&out_dir)
                );
                return ExitCode::from(super::EXIT_ERROR);
            }
        }
    }
    let built = hydrated.len();
    // The rendered text moves into the tree; the resource trees are
    // dropped in parallel (freeing millions of nodes takes a while).
    let (outputs, rest): (Vec<_>, Vec<_>) = hydrated
        .into_par_iter()
        .filter_map(|h| {
            let rel = format!("{}/{}.yaml", h.target.env, h.target.app);
            h.result.ok().map(|r| ((rel, r.yaml), r.resources))
        })
        .unzip();
    rayon::spawn(move || drop(rest));
    for (rel, yaml) in outputs {
        tree.add(rel, yaml);
    }
    let index = json!({
        "generator": format!("gitopsc {}", env!("CARGO_PKG_VERSION")),
        "targets": index,
        "argocd": argocd_files,
    });
    // Serialising a json! value cannot fail.
    tree.add(
        "index.json",
        serde_json::to_string_pretty(&index).expect("index serialises") + "\n",
    );
    if let Err(e) = tree.write_atomically(&out_dir) {
        eprintln!("error: cannot write {}: {e}", display(&out_dir));
        return ExitCode::from(super::EXIT_ERROR);
    }
    eprintln!("built {built} targets into {}", display(&out_dir));
    ExitCode::SUCCESS
}

fn index_entry(h: &Hydrated, r: &Rendered) -> serde_json::Value {
    json!({
        "app": h.target.app,
        "env": h.target.env,
        "source": h.target.source,
        "output": format!("{}/{}.yaml", h.target.env, h.target.app),
        "resources": r.resources.len(),
        "sha256": sha256_hex(r.yaml.as_bytes()),
        "inputs": h.inputs.iter().map(|(p, s)| json!({"path": p, "sha256": s})).collect::<Vec<_>>(),
    })
}

/// What Argo CD generation needs of a target: its namespaces and the kinds
/// it renders without one (cluster-scoped).
fn rendered_target<'a>(target: &'a Target, resources: &ResMap) -> RenderedTarget<'a> {
    let mut namespaces = BTreeSet::new();
    let mut cluster_kinds = BTreeSet::new();
    for r in resources.iter() {
        match r.namespace() {
            "" => {
                let group = r
                    .api_version()
                    .rsplit_once('/')
                    .map(|(g, _)| g)
                    .unwrap_or("");
                cluster_kinds.insert((group.to_string(), r.kind().to_string()));
            }
            ns => {
                namespaces.insert(ns.to_string());
            }
        }
    }
    RenderedTarget {
        target,
        namespaces: namespaces.into_iter().collect(),
        cluster_kinds: cluster_kinds.into_iter().collect(),
    }
}

fn display(p: &Path) -> String {
    crate::hydrate::kustomize::loader::display_path(p)
}
