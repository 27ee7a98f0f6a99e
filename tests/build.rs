//! `gitopsc build`: the same bytes on every run, Argo CD objects beside the
//! rendered manifests, and a failed build that leaves the previous output
//! exactly as it was.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn build(repo: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_gitopsc"))
        .arg("build")
        .arg(repo)
        .arg("--out")
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run gitopsc");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every file below `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(d: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.insert(
                    p.strip_prefix(base).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn two_builds_give_identical_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let repo = Path::new("examples/oneex-platform");
    let (code, err) = build(repo, &a);
    assert_eq!(code, 0, "{err}");
    let (code, err) = build(repo, &b);
    assert_eq!(code, 0, "{err}");
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(tb[k] == *v, "{k} differs between two builds");
    }
    // 5 apps + platform in 3 environments, their Argo CD objects, the index.
    assert_eq!(
        ta.keys()
            .filter(|k| !k.starts_with("argocd/") && k.ends_with(".yaml"))
            .count(),
        18
    );
    for env in ["dev", "staging", "prod"] {
        for f in [
            format!("argocd/{env}/oneex-back.yaml"),
            format!("argocd/{env}/project.yaml"),
            format!("argocd/root-{env}.yaml"),
        ] {
            assert!(ta.contains_key(&f), "{f} generated");
        }
    }
    let index: serde_json::Value = serde_json::from_slice(&ta["index.json"]).unwrap();
    assert_eq!(index["targets"].as_array().unwrap().len(), 18);
    assert!(
        index["argocd"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "argocd/root-prod.yaml")
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let out = tmp.path().join("rendered");
    copy_dir(Path::new("fixtures/repo-clean"), &repo);
    let (code, err) = build(&repo, &out);
    assert_eq!(code, 0, "{err}");
    let before = tree(&out);
    assert!(before.contains_key("dev/web.yaml"));

    // Break one overlay: the next build fails and must not touch `out`.
    let k = repo.join("apps/web/overlays/dev/kustomization.yaml");
    let text = std::fs::read_to_string(&k).unwrap();
    std::fs::write(&k, format!("{text}- missing.yaml\n")).unwrap();
    let (code, err) = build(&repo, &out);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("left unchanged"), "{err}");
    assert_eq!(tree(&out), before, "previous output intact");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging directories left: {leftovers:?}"
    );
}
