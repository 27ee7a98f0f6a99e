//! Changed-only runs, the cache and shards, on git repositories made in
//! the test: a staged overlay change checks one target, a base change
//! checks its overlays, a warm run renders nothing, shards merged equal
//! the whole run.

use std::path::Path;
use std::process::Command;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn deployment(name: &str, replicas: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: {name}\n        image: registry.example.com/{name}:v1.0.0\n"
    )
}

/// Apps `web` and `api`, each a base and dev/staging/prod overlays; the
/// prod overlay of `api` has a schema error.
fn repo() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    write(
        r,
        "gitopsc.yaml",
        "environments:\n  dev:\n  staging:\n  prod:\napps:\n- path: apps/*/overlays/{env}\npolicy:\n  builtin: false\n",
    );
    for app in ["web", "api"] {
        write(
            r,
            &format!("apps/{app}/base/kustomization.yaml"),
            "resources:\n- deployment.yaml\n",
        );
        write(
            r,
            &format!("apps/{app}/base/deployment.yaml"),
            &deployment(app, "1"),
        );
        for env in ["dev", "staging", "prod"] {
            write(
                r,
                &format!("apps/{app}/overlays/{env}/kustomization.yaml"),
                &format!("resources:\n- ../../base\nnamePrefix: {env}-\n"),
            );
        }
    }
    write(
        r,
        "apps/api/overlays/prod/kustomization.yaml",
        "resources:\n- ../../base\nnamePrefix: prod-\npatches:\n- path: replicas.yaml\n",
    );
    write(
        r,
        "apps/api/overlays/prod/replicas.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: two\n",
    );
    git(r, &["init", "-q", "-b", "main"]);
    git(r, &["add", "-A"]);
    git(r, &["commit", "-qm", "init"]);
    t
}

struct Out {
    code: i32,
    stdout: String,
    stats: String,
}

fn check(root: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .arg("check")
        .arg(root)
        .arg("--verbose")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stats = stderr
        .lines()
        .find(|l| l.starts_with("gitopsc: "))
        .unwrap_or(&stderr)
        .to_string();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stats,
    }
}

fn targets(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn warm_run_renders_nothing_and_reports_the_same() {
    let t = repo();
    let cold = check(t.path(), &["--format", "json"]);
    assert_eq!(cold.code, 1, "{}", cold.stdout);
    assert_eq!(
        cold.stats,
        "gitopsc: 6 targets, 6 checked, 6 rendered, 0 from cache"
    );
    assert!(t.path().join(".gitopsc/cache/.gitignore").is_file());
    let warm = check(t.path(), &["--format", "json"]);
    assert_eq!(
        warm.stats,
        "gitopsc: 6 targets, 6 checked, 0 rendered, 6 from cache"
    );
    assert_eq!(warm.stdout, cold.stdout);
    assert_eq!(warm.code, 1);
    // A corrupt entry is rebuilt, never trusted.
    for entry in walk(&t.path().join(".gitopsc/cache/results")) {
        std::fs::write(&entry, b"gitopsc-cache 1 0000\n{}").unwrap();
    }
    let again = check(t.path(), &["--format", "json"]);
    assert_eq!(again.stdout, cold.stdout);
    assert_eq!(
        again.stats,
        "gitopsc: 6 targets, 6 checked, 6 rendered, 0 from cache"
    );
    // An edit is seen: the edited app is checked again in every environment
    // (promotion order) and so is the edited environment (inventories,
    // environment-wide policies), against everything they read; the other
    // app's dev and staging findings come from the cache.
    write(
        t.path(),
        "apps/api/overlays/prod/replicas.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n",
    );
    let fixed = check(t.path(), &["--format", "json"]);
    assert_eq!(fixed.code, 0, "{}", fixed.stdout);
    assert_eq!(
        fixed.stats,
        "gitopsc: 6 targets, 6 checked, 6 rendered, 2 from cache"
    );
    let nocache = check(t.path(), &["--format", "json", "--no-cache"]);
    assert_eq!(nocache.stdout, fixed.stdout);
    assert_eq!(
        nocache.stats,
        "gitopsc: 6 targets, 6 checked, 6 rendered, 0 from cache"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn changed_since_selects_from_the_build_graph() {
    let t = repo();
    // Nothing changed: nothing to check.
    let none = check(t.path(), &["--changed-since", "HEAD", "--format", "json"]);
    assert!(targets(&none.stdout).is_empty(), "{}", none.stdout);
    assert_eq!(none.code, 0);
    // One overlay file: one target.
    write(
        t.path(),
        "apps/web/overlays/dev/kustomization.yaml",
        "resources:\n- ../../base\nnamePrefix: dev2-\n",
    );
    let one = check(t.path(), &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(targets(&one.stdout), ["web/dev"]);
    // A base: all its overlays, not the other app's.
    write(
        t.path(),
        "apps/api/base/deployment.yaml",
        &deployment("api", "3"),
    );
    let base = check(t.path(), &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(
        targets(&base.stdout),
        ["api/dev", "web/dev", "api/prod", "api/staging"]
    );
    assert_eq!(base.code, 1, "api/prod keeps its error");
    // A new overlay is a new target, selected.
    write(
        t.path(),
        "apps/web/overlays/qa/kustomization.yaml",
        "resources:\n- ../../base\n",
    );
    write(
        t.path(),
        "gitopsc.yaml",
        "environments:\n  dev:\n  staging:\n  prod:\n  qa:\napps:\n- path: apps/*/overlays/{env}\npolicy:\n  builtin: false\n",
    );
    // The config changed: everything.
    let all = check(t.path(), &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(targets(&all.stdout).len(), 7, "{}", all.stdout);
    git(t.path(), &["add", "-A"]);
    git(t.path(), &["commit", "-qm", "qa"]);
    write(
        t.path(),
        "apps/api/overlays/qa/kustomization.yaml",
        "resources:\n- ../../base\n",
    );
    let new = check(t.path(), &["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(targets(&new.stdout), ["api/qa"]);
    let unknown = check(t.path(), &["--changed-since", "nope", "--format", "json"]);
    assert_eq!(unknown.code, 2);
}

#[test]
fn shards_merged_equal_the_whole_run() {
    let t = repo();
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    let formats = |prefix: &str| {
        vec![
            format!("json={}", o.join(format!("{prefix}.json")).display()),
            format!("junit={}", o.join(format!("{prefix}.xml")).display()),
            format!(
                "codequality={}",
                o.join(format!("{prefix}.cq.json")).display()
            ),
            format!("sarif={}", o.join(format!("{prefix}.sarif")).display()),
        ]
    };
    let run = |prefix: &str, extra: &[&str]| {
        let mut args: Vec<String> = vec!["--no-cache".into()];
        for f in formats(prefix) {
            args.push("--format".into());
            args.push(f);
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        check(t.path(), &args)
    };
    run("all", &[]);
    let mut total = 0;
    for i in 1..=3 {
        let s = run(&format!("s{i}"), &["--shard", &format!("{i}/3")]);
        total += s
            .stats
            .split(", ")
            .nth(1)
            .and_then(|c| c.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap();
    }
    assert_eq!(total, 6, "every target in exactly one shard");
    for ext in ["json", "xml", "cq.json", "sarif"] {
        let merged = o.join(format!("merged.{ext}"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gitopsc"));
        cmd.args(["report", "merge", "--out"]).arg(&merged);
        for i in 1..=3 {
            cmd.arg(o.join(format!("s{i}.{ext}")));
        }
        let st = cmd.output().unwrap();
        assert!(st.status.success(), "{st:?}");
        assert_eq!(
            std::fs::read_to_string(&merged).unwrap(),
            std::fs::read_to_string(o.join(format!("all.{ext}"))).unwrap(),
            "merged {ext} equals the unsharded report"
        );
    }
}

#[test]
fn staged_checks_the_index_and_only_affected_targets() {
    let t = repo();
    let r = t.path();
    // Unstaged edits are not what is committed: not checked.
    write(
        r,
        "apps/web/overlays/prod/kustomization.yaml",
        "resources:\n- ../../base\npatches:\n- path: missing.yaml\n",
    );
    let none = check(r, &["--staged", "--format", "json"]);
    assert!(targets(&none.stdout).is_empty(), "{}", none.stdout);
    assert_eq!(none.code, 0);
    // A staged overlay: that target, as staged.
    write(
        r,
        "apps/web/overlays/dev/kustomization.yaml",
        "resources:\n- ../../base\nnamePrefix: d-\n",
    );
    git(r, &["add", "apps/web/overlays/dev/kustomization.yaml"]);
    let one = check(r, &["--staged", "--format", "json"]);
    assert_eq!(targets(&one.stdout), ["web/dev"]);
    assert_eq!(one.code, 0, "{}", one.stdout);
    // A staged base: all its overlays.
    write(
        r,
        "apps/web/base/deployment.yaml",
        &deployment("web", "\"x\""),
    );
    git(r, &["add", "apps/web/base/deployment.yaml"]);
    let base = check(r, &["--staged", "--format", "json"]);
    assert_eq!(
        targets(&base.stdout),
        ["web/dev", "web/prod", "web/staging"]
    );
    assert_eq!(base.code, 1, "the staged base is broken: {}", base.stdout);
    // The broken working-tree overlay of web/prod is not read: its error
    // would be a missing patch file.
    assert!(!base.stdout.contains("missing.yaml"), "{}", base.stdout);
    // Warm: the same staged state renders nothing.
    let warm = check(r, &["--staged", "--format", "json"]);
    assert_eq!(warm.stdout, base.stdout);
    assert!(warm.stats.contains(" 0 rendered"), "{}", warm.stats);
}

/// Apps in one `prod` environment: `web` and `api` run in namespace `shop`,
/// whose default-deny NetworkPolicy comes from app `net`; `lone` runs in
/// namespace `solo`, which has none. Only POL009 of the pack is on.
fn context_repo() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    let off: String = (1..=13)
        .filter(|n| *n != 9)
        .map(|n| format!("  POL{n:03}: off\n"))
        .collect();
    write(
        r,
        "gitopsc.yaml",
        &format!(
            "environments:\n  prod:\napps:\n- path: apps/*/overlays/{{env}}\nseverity:\n{off}"
        ),
    );
    for (app, ns) in [("web", "shop"), ("api", "shop"), ("lone", "solo")] {
        write(
            r,
            &format!("apps/{app}/overlays/prod/kustomization.yaml"),
            &format!("namespace: {ns}\nresources:\n- deployment.yaml\n"),
        );
        write(
            r,
            &format!("apps/{app}/overlays/prod/deployment.yaml"),
            &deployment(app, "1"),
        );
    }
    write(
        r,
        "apps/net/overlays/prod/kustomization.yaml",
        "resources:\n- deny.yaml\n",
    );
    write(
        r,
        "apps/net/overlays/prod/deny.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n",
    );
    git(r, &["init", "-q", "-b", "main"]);
    git(r, &["add", "-A"]);
    git(r, &["commit", "-qm", "init"]);
    t
}

fn rules(json: &str) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["target"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_staged_target_is_checked_against_its_environment_from_the_cache() {
    let t = context_repo();
    let r = t.path();
    let full = check(r, &["--format", "json"]);
    assert_eq!(
        rules(&full.stdout),
        [("POL009".to_string(), "lone/prod".to_string())],
        "{}",
        full.stdout
    );
    // One app's overlay staged: only its target is rendered; the policy it
    // needs (rendered by `net`) comes from the cached context.
    write(
        r,
        "apps/web/overlays/prod/deployment.yaml",
        &deployment("web", "1").replacen("name: web\n", "name: web\n  labels: {tier: front}\n", 1),
    );
    git(r, &["add", "apps/web/overlays/prod/deployment.yaml"]);
    let web = check(r, &["--staged", "--format", "json"]);
    assert_eq!(targets(&web.stdout), ["web/prod"]);
    assert!(rules(&web.stdout).is_empty(), "{}", web.stdout);
    assert!(web.stats.contains(" 1 rendered"), "{}", web.stats);
    let web_nocache = check(r, &["--staged", "--no-cache", "--format", "json"]);
    assert_eq!(web_nocache.stdout, web.stdout);
    // The unprotected namespace is still found from cached contexts.
    write(
        r,
        "apps/lone/overlays/prod/deployment.yaml",
        &deployment("lone", "1").replacen(
            "name: lone\n",
            "name: lone\n  labels: {tier: back}\n",
            1,
        ),
    );
    git(r, &["add", "apps/lone/overlays/prod/deployment.yaml"]);
    let lone = check(r, &["--staged", "--format", "json"]);
    assert!(lone.stats.contains(" 2 rendered"), "{}", lone.stats);
    assert_eq!(
        rules(&lone.stdout),
        [("POL009".to_string(), "lone/prod".to_string())],
        "{}",
        lone.stdout
    );
    // A damaged context entry is never trusted: the environment is
    // rendered instead and the findings do not change.
    for entry in walk(&r.join(".gitopsc/cache/context")) {
        std::fs::write(&entry, b"gitopsc-cache 1 0000\nkind: [").unwrap();
    }
    write(
        r,
        "apps/lone/overlays/prod/deployment.yaml",
        &deployment("lone", "1").replacen("name: lone\n", "name: lone\n  labels: {tier: db}\n", 1),
    );
    git(r, &["add", "apps/lone/overlays/prod/deployment.yaml"]);
    let damaged = check(r, &["--staged", "--format", "json"]);
    assert!(damaged.stats.contains(" 4 rendered"), "{}", damaged.stats);
    assert_eq!(rules(&damaged.stdout), rules(&lone.stdout));
}

/// Committed CRDs are found from the cache's content index as from a walk
/// of the work tree: vendored ones included.
#[test]
fn committed_crds_validate_custom_resources_in_cached_runs() {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    write(
        r,
        "gitopsc.yaml",
        "environments:\n  dev:\napps:\n- path: apps/*/overlays/{env}\npolicy:\n  builtin: false\n",
    );
    write(
        r,
        "vendor/widgets/crd.yaml",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget\n    plural: widgets\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              size:\n                type: integer\n",
    );
    write(
        r,
        "apps/w/overlays/dev/kustomization.yaml",
        "resources:\n- widget.yaml\n",
    );
    write(
        r,
        "apps/w/overlays/dev/widget.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: large\n",
    );
    git(r, &["init", "-q", "-b", "main"]);
    git(r, &["add", "-A"]);
    git(r, &["commit", "-qm", "init"]);
    let cold = check(r, &["--format", "json"]);
    let found = rules(&cold.stdout);
    assert_eq!(
        found,
        [("SCH001".to_string(), "w/dev".to_string())],
        "{}",
        cold.stdout
    );
    let warm = check(r, &["--format", "json"]);
    assert_eq!(warm.stdout, cold.stdout);
    let staged_edit = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  labels: {a: b}\nspec:\n  size: large\n";
    write(r, "apps/w/overlays/dev/widget.yaml", staged_edit);
    git(r, &["add", "-A"]);
    let staged = check(r, &["--staged", "--format", "json"]);
    assert_eq!(rules(&staged.stdout), found, "{}", staged.stdout);
}
