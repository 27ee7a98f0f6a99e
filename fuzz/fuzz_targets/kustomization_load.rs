//! A kustomization and the files it names, all fuzzed: the engine must
//! answer with output or an error, never a panic or a hang.
#![no_main]

use gitopsc::hydrate::kustomize::{self, BuildOptions};
use gitopsc::source::MemFs;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Split the input into a kustomization, a resource file and a patch.
    let mut parts = text.splitn(3, "\n%%\n");
    let kust = parts.next().unwrap_or("");
    let resource = parts.next().unwrap_or("");
    let patch = parts.next().unwrap_or("");
    let mut fs = MemFs::new(Path::new("/repo"));
    fs.add("app/kustomization.yaml", kust)
        .add("app/resource.yaml", resource)
        .add("app/patch.yaml", patch)
        .add("base/kustomization.yaml", "resources:\n- ../app/resource.yaml\n");
    if let Ok(build) = kustomize::build(&fs, Path::new("/repo/app"), &BuildOptions::default()) {
        let _ = kustomize::render(&build.resources);
    }
});
