//! Every value remembers the source line that last set it: the base file,
//! an overlay's `images:`/`replicas:` entry, a patch, a generator literal.
//! Later checks point users there instead of at rendered output.

use gitopsc::hydrate::kustomize::{self, BuildOptions, Resource};
use gitopsc::load::yaml::Node;
use gitopsc::source::DiskFs;
use std::path::Path;

const PROD: &str = "examples/oneex-platform/apps/oneex-back/overlays/prod";

fn build() -> Vec<Resource> {
    let fs = DiskFs::new(Path::new(".")).unwrap();
    kustomize::build(&fs, Path::new(PROD), &BuildOptions::default())
        .map_err(|e| e.message)
        .unwrap()
        .resources
        .into_resources()
}

fn find<'a>(rs: &'a [Resource], kind: &str) -> &'a Resource {
    rs.iter().find(|r| r.kind() == kind).unwrap()
}

/// `file:line` of a node's span.
fn at(n: &Node) -> String {
    let s = n.span.as_ref().expect("node has a span");
    let file = s
        .file
        .rsplit("oneex-back/")
        .next()
        .unwrap_or(&s.file)
        .to_string();
    format!("{file}:{}", s.line)
}

/// `file:line` of the first line of `file` (under the app) containing `needle`.
fn line_of(file: &str, needle: &str) -> String {
    let path = format!("examples/oneex-platform/apps/oneex-back/{file}");
    let text = std::fs::read_to_string(&path).unwrap();
    let n = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {path}"));
    format!("{file}:{}", n + 1)
}

#[test]
fn values_point_at_the_line_that_set_them() {
    let rs = build();
    let deploy = find(&rs, "Deployment");
    let container = &deploy
        .node
        .get_path(&["spec", "template", "spec", "containers"])
        .unwrap()
        .as_seq()
        .unwrap()[0];
    let overlay = "overlays/prod/kustomization.yaml";
    // Set by the overlay's replicas: and images: entries.
    assert_eq!(
        at(deploy.node.get_path(&["spec", "replicas"]).unwrap()),
        line_of(overlay, "count:")
    );
    assert_eq!(
        at(container.get("image").unwrap()),
        line_of(overlay, "newTag:")
    );
    // Set by the strategic merge patch file.
    assert_eq!(
        at(container.get_path(&["resources", "limits", "cpu"]).unwrap()),
        line_of("overlays/prod/resources-prod.yaml", "cpu: \"2\"")
    );
    // Untouched by the overlay: the base file.
    assert_eq!(
        at(container.get("name").unwrap()),
        line_of("base/deployment.yaml", "- name: api")
    );
    // A generator literal merged by the overlay.
    let cm = deploy_config(&rs);
    assert_eq!(
        at(cm.node.get_path(&["data", "LOG_LEVEL"]).unwrap()),
        line_of(overlay, "LOG_LEVEL=warn")
    );
}

/// The app's generated ConfigMap (the one carrying LOG_LEVEL).
fn deploy_config(rs: &[Resource]) -> &Resource {
    rs.iter()
        .find(|r| r.kind() == "ConfigMap" && r.node.get_path(&["data", "LOG_LEVEL"]).is_some())
        .unwrap()
}
