//! ConfigMap and Secret generators, their hash suffix, and how generated
//! resources merge with existing ones (`behavior`).

mod absorb;
mod args;
mod decode;
mod hash;
mod iam;
mod object;
mod sources;

pub use absorb::absorb;
pub use args::{DataKind, GeneratorArgs, GeneratorOptions};
pub use hash::content_hash;

use super::context::{Ctx, Generator, Generators};
use super::error::Result;
use super::kustomization::get_ci;
use super::resmap::ResMap;
use crate::load::yaml::Node;
use decode::{Decoder, Mode};

/// A configured ConfigMap or Secret generator.
pub struct KvGenerator {
    pub args: GeneratorArgs,
}

impl Generator for KvGenerator {
    fn generate(&self, ctx: &Ctx) -> Result<ResMap> {
        let pairs = sources::load_pairs(&self.args, ctx.loader)?;
        let mut r = object::make(&self.args, pairs)?;
        r.meta.needs_hash = !self.args.options.disable_name_suffix_hash;
        r.meta.behavior = self.args.behavior;
        let mut m = ResMap::new();
        m.append(r)?;
        Ok(m)
    }
}

/// `configMapGenerator:` and `secretGenerator:` of the kustomization (in
/// that order), each with the kustomization's `generatorOptions` merged in.
pub fn from_kustomization(ctx: &Ctx) -> Result<Generators> {
    let k = ctx.kustomization;
    let what = "invalid Kustomization";
    let global = match k.get("generatorOptions") {
        Some(n) => Some(GeneratorOptions::decode(
            n,
            &Decoder::new(Mode::Strict, what, "Kustomization.generatorOptions"),
        )?),
        None => None,
    };
    let mut out: Generators = Vec::new();
    for (field, kind) in [
        ("configMapGenerator", DataKind::ConfigMap),
        ("secretGenerator", DataKind::Secret),
    ] {
        let Some(list) = k.get(field) else { continue };
        let d = Decoder::new(Mode::Strict, what, &format!("Kustomization.{field}"));
        let Some(items) = list.as_seq() else {
            return Err(super::error::KustError::invalid(format!(
                "{what}: json: cannot unmarshal {} into Go struct field Kustomization.{field} of type []types.{}Args",
                if list.is_map() { "object" } else { "string" },
                kind.kind()
            ))
            .at(list.span.as_ref()));
        };
        for item in items {
            let mut args = GeneratorArgs::decode(kind, item, &d, true)?;
            if let Some(g) = &global {
                args.options.merge_global(g);
            }
            out.push(Box::new(KvGenerator { args }));
        }
    }
    Ok(out)
}

/// A `generators:` entry of kind ConfigMapGenerator, SecretGenerator or
/// IAMPolicyGenerator. The config holds the generator args inline; a
/// ConfigMap or Secret without its own name or namespace takes the
/// config's `metadata` ones. The kustomization's `generatorOptions` do
/// not apply here.
pub fn from_plugin_config(
    kind: &str,
    config: &Node,
    ctx: &Ctx,
) -> Option<Result<Box<dyn Generator>>> {
    let _ = ctx;
    let data_kind = match kind {
        "ConfigMapGenerator" => DataKind::ConfigMap,
        "SecretGenerator" => DataKind::Secret,
        "IAMPolicyGenerator" => {
            return Some(
                iam::IamPolicyGenerator::from_config(config)
                    .map(|g| Box::new(g) as Box<dyn Generator>),
            );
        }
        _ => return None,
    };
    Some(
        plugin_args(data_kind, kind, config)
            .map(|args| Box::new(KvGenerator { args }) as Box<dyn Generator>),
    )
}

fn plugin_args(kind: DataKind, plugin: &str, config: &Node) -> Result<GeneratorArgs> {
    let d = Decoder::new(Mode::Lenient, plugin, &format!("{plugin}Plugin"));
    let mut args = GeneratorArgs::decode(kind, config, &d, false)?;
    let meta = get_ci(config, "metadata");
    let meta_d = d.nested("metadata");
    if args.name.as_ref().is_none_or(|n| n.text.is_empty()) {
        args.name = meta
            .map(|m| meta_d.string(m, "name"))
            .transpose()?
            .flatten();
    }
    if args.namespace.as_ref().is_none_or(|n| n.text.is_empty()) {
        args.namespace = meta
            .map(|m| meta_d.string(m, "namespace"))
            .transpose()?
            .flatten();
    }
    Ok(args)
}

/// Appends `-<hash>` to the names of resources that want it, recording
/// the previous id so references to the old name can be fixed.
pub fn add_hashes(m: &mut ResMap) -> Result<()> {
    for r in m.iter_mut().filter(|r| r.meta.needs_hash) {
        let hash = content_hash(r);
        r.store_previous_id();
        let name = format!("{}-{hash}", r.name());
        r.set_name(&name);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn plugin_configs_fall_back_to_metadata() {
        let n = parse_single(
            "g.yaml",
            "apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: from-meta\n  namespace: ns\nunknown: ignored\nenv: ignored.env\nliterals: [a=b]\n",
        )
        .unwrap();
        let a = plugin_args(DataKind::Secret, "SecretGenerator", &n).unwrap();
        assert_eq!(a.name(), "from-meta");
        assert_eq!(a.namespace(), "ns");
        assert!(a.envs.is_empty());
    }

    fn build(files: &[(&str, &str)]) -> super::super::error::Result<ResMap> {
        let mut fs = crate::source::MemFs::new(std::path::Path::new("/k"));
        for (path, text) in files {
            fs.add(path, text.as_bytes().to_vec());
        }
        let dir = std::path::Path::new("/k/app");
        let options = super::super::BuildOptions::default();
        super::super::build(&fs, dir, &options).map(|b| b.resources)
    }

    #[test]
    fn builds_from_env_files_literals_and_files_with_provenance() {
        let m = build(&[
            (
                "app/kustomization.yaml",
                "generatorOptions:\n  labels: {g: x}\nconfigMapGenerator:\n- name: cm\n  envs: [a.env]\n  literals:\n  - L=\"quoted\"\n  files:\n  - conf=app.conf\n",
            ),
            ("app/a.env", "# c\nE=1\n"),
            ("app/app.conf", "line\n"),
        ])
        .unwrap();
        let r = m.get(0);
        assert!(r.name().starts_with("cm-"));
        assert_eq!(r.labels(), [("g".to_string(), "x".to_string())]);
        let span = |k: &str| r.node.get_path(&["data", k]).unwrap().span.clone().unwrap();
        let at = |k: &str| {
            (
                span(k).file.rsplit('/').next().unwrap_or("").to_string(),
                span(k).line,
            )
        };
        assert_eq!(at("E"), ("a.env".to_string(), 2));
        assert_eq!(at("L"), ("kustomization.yaml".to_string(), 7));
        assert_eq!(at("conf"), ("app.conf".to_string(), 1));
        assert_eq!(
            r.node.get_path(&["data", "L"]).unwrap().as_str(),
            Some("quoted")
        );
    }

    #[test]
    fn repeated_keys_point_at_the_second_one() {
        let e = build(&[(
            "app/kustomization.yaml",
            "secretGenerator:\n- name: s\n  literals:\n  - k=1\n  - k=2\n",
        )])
        .unwrap_err();
        assert_eq!(e.message, "configmap s illegally repeats the key `k`");
        assert_eq!(e.span.unwrap().line, 5);
    }

    #[test]
    fn files_outside_the_root_are_refused() {
        let e = build(&[
            (
                "app/kustomization.yaml",
                "configMapGenerator:\n- name: c\n  files: [../x.txt]\n",
            ),
            ("x.txt", "x"),
        ])
        .unwrap_err();
        assert_eq!(e.kind, super::super::ErrorKind::Restricted);
        assert!(
            e.message
                .starts_with("loading KV pairs: file sources: [../x.txt]: "),
            "{}",
            e.message
        );
    }

    #[test]
    fn hashes_are_appended_and_previous_ids_kept() {
        let y = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\ndata:\n  TEST: \"this is a 'test'\"\n";
        let mut r =
            super::super::resource::Resource::new(parse_single("r.yaml", y).unwrap()).unwrap();
        r.meta.needs_hash = true;
        let mut m = ResMap::new();
        m.append(r).unwrap();
        add_hashes(&mut m).unwrap();
        assert_eq!(m.get(0).name(), "test-k9cc55dfm5");
        assert_eq!(m.get(0).meta.prev_ids[0].name, "test");
    }
}
