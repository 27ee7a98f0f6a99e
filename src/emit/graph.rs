//! `gitopsc graph` output: Mermaid (renders in GitLab and GitHub markdown)
//! or Graphviz DOT. Node ids are assigned in sorted order, so the same
//! repository always gives the same bytes.

use crate::resolve::graph::{DirKind, Graph, Use};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Stable short ids: `e0…` environments, `t0…` targets, `k0…` folders.
struct Ids {
    envs: BTreeMap<String, String>,
    targets: BTreeMap<String, String>,
    dirs: BTreeMap<String, String>,
}

impl Ids {
    fn new(g: &Graph) -> Ids {
        let number = |prefix: &str, keys: Vec<&String>| {
            keys.into_iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), format!("{prefix}{i}")))
                .collect::<BTreeMap<_, _>>()
        };
        Ids {
            envs: number("e", g.environments.keys().collect()),
            targets: number("t", g.targets.keys().collect()),
            dirs: number("k", g.dirs.keys().collect()),
        }
    }
}

fn mermaid_label(s: &str) -> String {
    s.replace('"', "#quot;")
}

pub fn mermaid(g: &Graph) -> String {
    let ids = Ids::new(g);
    let mut s = String::from("flowchart LR\n");
    for (env, targets) in &g.environments {
        let _ = writeln!(
            s,
            "  subgraph {}[\"env: {}\"]",
            ids.envs[env],
            mermaid_label(env)
        );
        for t in targets {
            let _ = writeln!(s, "    {}([\"{}\"])", ids.targets[t], mermaid_label(t));
        }
        s.push_str("  end\n");
    }
    for (dir, kind) in &g.dirs {
        let id = &ids.dirs[dir];
        let label = mermaid_label(dir);
        let _ = match kind {
            DirKind::Overlay => writeln!(s, "  {id}[\"{label}\"]:::overlay"),
            DirKind::Base => writeln!(s, "  {id}(\"{label}\"):::base"),
            DirKind::Component => writeln!(s, "  {id}{{{{\"{label}\"}}}}:::component"),
        };
    }
    for (t, dir) in &g.targets {
        if let Some(k) = ids.dirs.get(dir) {
            let _ = writeln!(s, "  {} --> {k}", ids.targets[t]);
        }
    }
    for (from, to, how) in &g.uses {
        let (Some(a), Some(b)) = (ids.dirs.get(from), ids.dirs.get(to)) else {
            continue;
        };
        let _ = match how {
            Use::Resource => writeln!(s, "  {a} --> {b}"),
            Use::Component => writeln!(s, "  {a} -. component .-> {b}"),
        };
    }
    s.push_str("  classDef overlay fill:#dbeafe,stroke:#1d4ed8\n");
    s.push_str("  classDef base fill:#f3f4f6,stroke:#4b5563\n");
    s.push_str("  classDef component fill:#fef3c7,stroke:#b45309\n");
    s
}

fn dot_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn dot(g: &Graph) -> String {
    let ids = Ids::new(g);
    let mut s = String::from(
        "digraph gitopsc {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n",
    );
    for (env, targets) in &g.environments {
        let _ = writeln!(s, "  subgraph cluster_{} {{", ids.envs[env]);
        let _ = writeln!(s, "    label={};", dot_quote(&format!("env: {env}")));
        for t in targets {
            let _ = writeln!(
                s,
                "    {} [label={}, shape=box, style=\"rounded,bold\"];",
                ids.targets[t],
                dot_quote(t)
            );
        }
        s.push_str("  }\n");
    }
    for (dir, kind) in &g.dirs {
        let style = match kind {
            DirKind::Overlay => "shape=folder, style=filled, fillcolor=\"#dbeafe\"",
            DirKind::Base => "shape=folder, style=filled, fillcolor=\"#f3f4f6\"",
            DirKind::Component => "shape=component, style=filled, fillcolor=\"#fef3c7\"",
        };
        let _ = writeln!(
            s,
            "  {} [label={}, {style}, tooltip={}];",
            ids.dirs[dir],
            dot_quote(dir),
            dot_quote(kind.as_str())
        );
    }
    for (t, dir) in &g.targets {
        if let Some(k) = ids.dirs.get(dir) {
            let _ = writeln!(s, "  {} -> {k};", ids.targets[t]);
        }
    }
    for (from, to, how) in &g.uses {
        let (Some(a), Some(b)) = (ids.dirs.get(from), ids.dirs.get(to)) else {
            continue;
        };
        let _ = match how {
            Use::Resource => writeln!(s, "  {a} -> {b};"),
            Use::Component => writeln!(s, "  {a} -> {b} [style=dashed, label=\"component\"];"),
        };
    }
    s.push_str("}\n");
    s
}
