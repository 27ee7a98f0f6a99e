//! `gitopsc diff` on real git repositories built in the test.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Repo {
    dir: tempfile::TempDir,
}

const GITOPSC_YAML: &str =
    "environments:\n  dev:\n  staging:\n  prod:\napps:\n- path: apps/*/overlays/{env}\n";

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    helm.sh/chart: web-1.0.0
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.example.com/web:1.0.0
        env:
        - name: MODE
          value: fast
        - name: DB_PASSWORD
          value: plaintext-env-password
        ports:
        - containerPort: 8080
";

const SECRET: &str = "apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: hunter2-plaintext
data:
  token: c2VjcmV0LXRva2VuLXZhbHVl
";

fn overlay(env: &str, tag: &str) -> String {
    format!(
        "resources:\n- ../../base\nnamespace: web-{env}\nimages:\n- name: registry.example.com/web\n  newTag: \"{tag}\"\n"
    )
}

impl Repo {
    fn new() -> Repo {
        let r = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        r.git(&["init", "-q", "-b", "main"]);
        r.write("gitopsc.yaml", GITOPSC_YAML);
        r.write(
            "apps/web/base/kustomization.yaml",
            "resources:\n- deployment.yaml\n- secret.yaml\n",
        );
        r.write("apps/web/base/deployment.yaml", DEPLOYMENT);
        r.write("apps/web/base/secret.yaml", SECRET);
        for env in ["dev", "staging", "prod"] {
            r.write(
                &format!("apps/web/overlays/{env}/kustomization.yaml"),
                &overlay(env, "1.0.0"),
            );
        }
        r.write(
            "apps/api/base/kustomization.yaml",
            "resources:\n- cm.yaml\n",
        );
        r.write(
            "apps/api/base/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  level: info\n",
        );
        r.write(
            "apps/api/overlays/dev/kustomization.yaml",
            "resources:\n- ../../base\nnamespace: api-dev\n",
        );
        r.commit("initial");
        r
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .arg("-C")
            .arg(self.dir.path())
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", msg]);
    }

    /// `gitopsc diff` with `args`: (exit code, stdout, stderr).
    fn diff(&self, args: &[&str]) -> (i32, String, String) {
        run_diff(self.dir.path(), args)
    }
}

fn run_diff(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .arg("diff")
        .arg(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The temp dir's path is not stable: hide it.
fn stable(text: &str, repo: &Repo) -> String {
    let real = std::fs::canonicalize(repo.path()).unwrap();
    text.replace(&real.display().to_string(), "<repo>")
}

#[test]
fn no_change_exits_zero() {
    let r = Repo::new();
    let (code, out, err) = r.diff(&["--base", "HEAD"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no rendered changes"), "{out}");
    // Key order and the helm.sh/chart label are noise, not changes.
    r.write(
        "apps/web/base/deployment.yaml",
        &DEPLOYMENT
            .replace("helm.sh/chart: web-1.0.0", "helm.sh/chart: web-1.0.1")
            .replace(
                "  replicas: 1\n  selector:\n    matchLabels: {app: web}\n",
                "  selector:\n    matchLabels: {app: web}\n  replicas: 1\n",
            ),
    );
    let (code, out, err) = r.diff(&["--base", "HEAD"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn image_bump_in_one_environment() {
    let r = Repo::new();
    r.write(
        "apps/web/overlays/prod/kustomization.yaml",
        &overlay("prod", "1.1.0"),
    );
    r.commit("feat: bump web in prod");
    let (code, out, err) = r.diff(&["--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(code, 1, "{out}{err}");
    insta::assert_snapshot!("image_bump_text", stable(&out, &r));
    let (code, md, _) = r.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", "markdown"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("image_bump_markdown", stable(&md, &r));
    // The working tree is the default head.
    let (code, out, _) = r.diff(&["--base", "HEAD~1"]);
    assert_eq!(code, 1);
    assert!(out.contains("working tree"), "{out}");
    assert!(
        out.contains("+        image: registry.example.com/web:1.1.0"),
        "{out}"
    );
}

#[test]
fn new_overlay_and_removed_app() {
    let r = Repo::new();
    r.write(
        "apps/api/overlays/prod/kustomization.yaml",
        "resources:\n- ../../base\nnamespace: api-prod\n",
    );
    r.commit("feat: api in prod");
    let (code, out, err) = r.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let t = &v["targets"];
    assert_eq!(t.as_array().unwrap().len(), 1, "{out}");
    assert_eq!(t[0]["app"], "api");
    assert_eq!(t[0]["env"], "prod");
    assert_eq!(t[0]["status"], "added");
    assert_eq!(t[0]["resources"][0]["status"], "added");
    assert_eq!(t[0]["resources"][0]["namespace"], "api-prod");

    r.git(&["rm", "-rq", "apps/api"]);
    r.commit("chore: remove api");
    let (code, out, err) = r.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let statuses: Vec<(String, String)> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["env"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("dev".to_string(), "removed".to_string()),
            ("prod".to_string(), "removed".to_string())
        ]
    );
    assert_eq!(v["targets"][0]["resources"][0]["status"], "removed");
}

#[test]
fn base_change_fans_out_to_three_environments() {
    let r = Repo::new();
    r.write(
        "apps/web/base/deployment.yaml",
        &DEPLOYMENT.replace("replicas: 1", "replicas: 2"),
    );
    r.commit("feat: two replicas");
    let (code, out, err) = r.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let envs: Vec<&str> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["env"].as_str().unwrap())
        .collect();
    assert_eq!(envs, ["dev", "prod", "staging"]);
    // api's targets were never candidates.
    assert_eq!(v["stats"]["rendered"], 3, "{out}");
    for t in v["targets"].as_array().unwrap() {
        let res = t["resources"].as_array().unwrap();
        assert_eq!(res.len(), 1);
        assert_eq!(res[0]["kind"], "Deployment");
        assert!(res[0]["diff"].as_str().unwrap().contains("+  replicas: 2"));
    }
}

#[test]
fn unread_file_change_renders_once() {
    let r = Repo::new();
    r.write("apps/web/base/README.md", "notes\n");
    r.commit("docs: readme");
    let (code, out, err) = r.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["stats"]["rendered"], 3);
    assert_eq!(v["stats"]["identical_inputs"], 3);
}

#[test]
fn secrets_never_appear_in_any_format() {
    let r = Repo::new();
    r.write(
        "apps/web/base/secret.yaml",
        &SECRET
            .replace("hunter2-plaintext", "hunter3-plaintext")
            .replace("c2VjcmV0LXRva2VuLXZhbHVl", "bmV3LXNlY3JldC10b2tlbg=="),
    );
    r.write(
        "apps/web/base/deployment.yaml",
        &DEPLOYMENT.replace("plaintext-env-password", "plaintext-env-password-2"),
    );
    r.commit("fix: rotate");
    let plaintexts = [
        "hunter2-plaintext",
        "hunter3-plaintext",
        "c2VjcmV0LXRva2VuLXZhbHVl",
        "bmV3LXNlY3JldC10b2tlbg==",
        "plaintext-env-password",
    ];
    for format in ["text", "markdown", "json", "html"] {
        let (code, out, err) = r.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", format]);
        assert_eq!(code, 1, "{format}: {out}{err}");
        for p in plaintexts {
            assert!(!out.contains(p), "{format} shows {p}");
            assert!(!err.contains(p), "{format} stderr shows {p}");
        }
        assert!(out.contains("redacted sha256:"), "{format}: {out}");
    }
    let (_, out, _) = r.diff(&["--base", "HEAD~1", "--head", "HEAD"]);
    // The change is still visible: old and new hashes differ.
    let hash = |s: &str| {
        use sha2::Digest;
        let d = sha2::Sha256::digest(s.as_bytes());
        d.iter()
            .take(4)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert!(
        out.contains(&format!(
            "-  password: <redacted sha256:{}>",
            hash("hunter2-plaintext")
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "+  password: <redacted sha256:{}>",
            hash("hunter3-plaintext")
        )),
        "{out}"
    );
}

#[test]
fn output_file_is_written() {
    let r = Repo::new();
    r.write(
        "apps/web/overlays/dev/kustomization.yaml",
        &overlay("dev", "2.0.0"),
    );
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("diff.html");
    let (code, out, err) = r.diff(&[
        "--base",
        "HEAD",
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Deployment.apps/web-dev/web"));

    // Rendered by a real browser, when there is one.
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: no /usr/bin/chromium");
        return;
    }
    let profile = tempfile::tempdir().unwrap();
    let dom = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("1 target with changes"), "{dom}");
    assert!(dom.contains("registry.example.com/web:2.0.0"), "{dom}");
    assert!(dom.contains("class=\"sbs\""), "{dom}");
}

#[test]
fn shallow_clone_without_the_base_is_an_error_with_the_fix() {
    let r = Repo::new();
    r.write(
        "apps/web/overlays/dev/kustomization.yaml",
        &overlay("dev", "2.0.0"),
    );
    r.commit("feat: bump");
    let first = r.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    let out = Command::new("git")
        .arg("-C")
        .arg(clones.path())
        .args(["clone", "-q", "--depth=1", &url, "c"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (code, out, err) = run_diff(&clones.path().join("c"), &["--base", &first]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("shallow clone"), "{err}");
    assert!(
        err.contains(&format!("git fetch --depth=1 origin {first}")),
        "{err}"
    );
}

#[test]
fn bad_revision_is_exit_two() {
    let r = Repo::new();
    let (code, _, err) = r.diff(&["--base", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-branch"), "{err}");
}

#[test]
fn markdown_is_capped_with_a_notice() {
    let r = Repo::new();
    r.write(
        "apps/web/base/deployment.yaml",
        &DEPLOYMENT.replace("replicas: 1", "replicas: 2"),
    );
    r.write(
        "apps/api/base/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  level: debug\n",
    );
    let report = gitopsc::diff::run(&gitopsc::diff::Options {
        repo: r.path(),
        base: "HEAD".into(),
        head: None,
        env: None,
        app: None,
    })
    .unwrap();
    let full = gitopsc::diff::markdown::render(&report, None);
    assert!(
        full.contains("<details>") && !full.contains("cut at"),
        "{full}"
    );
    let max = full.chars().count() - 1;
    let cut = gitopsc::diff::markdown::render_capped(
        &report,
        Some("https://ci.example.com/job/1/artifacts/diff.html"),
        max,
    );
    assert!(cut.chars().count() <= max, "{}", cut.len());
    assert!(
        cut.contains("https://ci.example.com/job/1/artifacts/diff.html"),
        "{cut}"
    );
    assert!(cut.contains("left out: "), "{cut}");
}

#[test]
fn diff_settings_come_from_gitopsc_yaml() {
    let r = Repo::new();
    r.write(
        "gitopsc.yaml",
        &format!("{GITOPSC_YAML}diff:\n  ignoreFields: [spec.replicas]\n"),
    );
    r.write(
        "apps/web/base/deployment.yaml",
        &DEPLOYMENT.replace("replicas: 1", "replicas: 5"),
    );
    let (code, out, err) = r.diff(&["--base", "HEAD"]);
    assert_eq!(code, 0, "{out}{err}");
    r.write(
        "gitopsc.yaml",
        &format!("{GITOPSC_YAML}diff:\n  ignoreFields: [\"spec[x]\"]\n"),
    );
    let (code, out, err) = r.diff(&["--base", "HEAD"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("gitopsc.yaml:8"), "{err}");
}

/// Selection follows components shared by several apps, and files a
/// generator reads from a sub-folder of an overlay; nothing else renders.
#[test]
fn shared_component_and_generator_files_select_their_targets() {
    let r = Repo::new();
    r.write(
        "components/team/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  team: blue\n",
    );
    r.write(
        "apps/web/overlays/prod/kustomization.yaml",
        &format!(
            "{}components:\n- ../../../../components/team\n",
            overlay("prod", "1.0.0")
        ),
    );
    r.write(
        "apps/api/overlays/dev/kustomization.yaml",
        "resources:\n- ../../base\nnamespace: api-dev\ncomponents:\n- ../../../../components/team\nconfigMapGenerator:\n- name: level\n  files:\n  - conf/level.txt\n",
    );
    r.write("apps/api/overlays/dev/conf/level.txt", "info\n");
    r.commit("feat: team component");

    let rendered = |args: &[&str]| {
        let (code, out, err) = r.diff(args);
        assert_eq!(code, 1, "{out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut ids: Vec<String> = v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                format!(
                    "{}/{}",
                    t["app"].as_str().unwrap(),
                    t["env"].as_str().unwrap()
                )
            })
            .collect();
        ids.sort();
        (ids, v["stats"]["rendered"].as_u64().unwrap())
    };

    r.write(
        "components/team/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  team: red\n",
    );
    r.commit("feat: team red");
    let args = ["--base", "HEAD~1", "--head", "HEAD", "--format", "json"];
    assert_eq!(
        rendered(&args),
        (vec!["api/dev".to_string(), "web/prod".to_string()], 2)
    );

    r.write("apps/api/overlays/dev/conf/level.txt", "debug\n");
    r.commit("feat: debug level");
    assert_eq!(rendered(&args), (vec!["api/dev".to_string()], 1));
}
