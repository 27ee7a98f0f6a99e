//! The arguments of one ConfigMap or Secret generator and its options.

use super::decode::{Decoder, MapItem, Sourced};
use crate::hydrate::kustomize::error::Result;
use crate::hydrate::kustomize::resource::Behavior;
use crate::load::yaml::{Node, Span};

/// Which object a generator makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    ConfigMap,
    Secret,
}

impl DataKind {
    pub fn kind(self) -> &'static str {
        match self {
            DataKind::ConfigMap => "ConfigMap",
            DataKind::Secret => "Secret",
        }
    }
}

/// `generatorOptions:` or a generator's `options:`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GeneratorOptions {
    pub labels: Vec<MapItem>,
    pub annotations: Vec<MapItem>,
    pub disable_name_suffix_hash: bool,
    pub immutable: bool,
    /// Where `immutable: true` was set, for the generated field.
    pub immutable_span: Option<Span>,
}

const OPTION_FIELDS: [&str; 4] = [
    "labels",
    "annotations",
    "disableNameSuffixHash",
    "immutable",
];

impl GeneratorOptions {
    /// Decodes an options mapping (null gives the defaults).
    pub fn decode(node: &Node, d: &Decoder) -> Result<GeneratorOptions> {
        let Some(map) = d.object(node, "types.GeneratorOptions")? else {
            return Ok(GeneratorOptions::default());
        };
        d.check_fields(map, &OPTION_FIELDS)?;
        let immutable = d.bool(node, "immutable")?;
        Ok(GeneratorOptions {
            labels: d.string_map(node, "labels")?,
            annotations: d.string_map(node, "annotations")?,
            disable_name_suffix_hash: d.bool(node, "disableNameSuffixHash")?,
            immutable,
            immutable_span: immutable
                .then(|| crate::hydrate::kustomize::kustomization::get_ci(node, "immutable"))
                .flatten()
                .and_then(|n| n.span.clone()),
        })
    }

    /// Fills in what the generator leaves unset from the kustomization's
    /// `generatorOptions`: labels and annotations the generator does not
    /// set itself, and either flag when the global one is on (a local
    /// `false` cannot be told from an unset one, so it never wins).
    pub fn merge_global(&mut self, global: &GeneratorOptions) {
        for item in &global.labels {
            if !self.labels.iter().any(|l| l.key == item.key) {
                self.labels.push(item.clone());
            }
        }
        for item in &global.annotations {
            if !self.annotations.iter().any(|a| a.key == item.key) {
                self.annotations.push(item.clone());
            }
        }
        self.disable_name_suffix_hash |= global.disable_name_suffix_hash;
        if global.immutable && !self.immutable {
            self.immutable = true;
            self.immutable_span = global.immutable_span.clone();
        }
    }
}

/// One `configMapGenerator:`/`secretGenerator:` entry or plugin config.
#[derive(Clone, Debug)]
pub struct GeneratorArgs {
    pub kind: DataKind,
    pub name: Option<Sourced>,
    pub namespace: Option<Sourced>,
    pub behavior: Behavior,
    pub literals: Vec<Sourced>,
    pub files: Vec<Sourced>,
    pub envs: Vec<Sourced>,
    pub options: GeneratorOptions,
    /// A Secret's `type` (Opaque when unset).
    pub secret_type: Option<Sourced>,
    /// The whole entry: provenance of the generated object.
    pub span: Option<Span>,
}

const ARG_FIELDS: [&str; 8] = [
    "namespace",
    "name",
    "behavior",
    "literals",
    "files",
    "envs",
    "env",
    "options",
];

impl GeneratorArgs {
    /// Decodes the args. `legacy_env` says whether the singular `env:` is
    /// read: the kustomization folds it into `envs`, plugin configs ignore it.
    pub fn decode(
        kind: DataKind,
        node: &Node,
        d: &Decoder,
        legacy_env: bool,
    ) -> Result<GeneratorArgs> {
        let go_type = match kind {
            DataKind::ConfigMap => "types.ConfigMapArgs",
            DataKind::Secret => "types.SecretArgs",
        };
        let map = d.object(node, go_type)?;
        if let Some(map) = map {
            let mut known = ARG_FIELDS.to_vec();
            if kind == DataKind::Secret {
                known.push("type");
            }
            d.check_fields(map, &known)?;
        }
        let empty = Node::map();
        let node = if map.is_some() { node } else { &empty };
        let mut envs = d.string_list(node, "envs")?;
        let env = d.string(node, "env")?;
        if legacy_env {
            envs.extend(env.filter(|e| !e.text.is_empty()));
        }
        let options = match crate::hydrate::kustomize::kustomization::get_ci(node, "options") {
            Some(o) => GeneratorOptions::decode(o, &d.nested("options"))?,
            None => GeneratorOptions::default(),
        };
        let behavior = d.string(node, "behavior")?;
        Ok(GeneratorArgs {
            kind,
            name: d.string(node, "name")?,
            namespace: d.string(node, "namespace")?,
            // kustomize treats any other spelling as unspecified (create).
            behavior: behavior
                .and_then(|b| Behavior::parse(&b.text))
                .unwrap_or(Behavior::Unspecified),
            literals: d.string_list(node, "literals")?,
            files: d.string_list(node, "files")?,
            envs,
            options,
            secret_type: match kind {
                DataKind::Secret => d.string(node, "type")?,
                DataKind::ConfigMap => None,
            },
            span: node.span.clone(),
        })
    }

    pub fn name(&self) -> &str {
        self.name.as_ref().map(|s| s.text.as_str()).unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.namespace
            .as_ref()
            .map(|s| s.text.as_str())
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hydrate::kustomize::generate::decode::Mode;
    use crate::load::yaml::parse_single;

    fn options(text: &str) -> GeneratorOptions {
        let n = parse_single("k.yaml", text).unwrap();
        GeneratorOptions::decode(
            &n,
            &Decoder::new(Mode::Strict, "invalid Kustomization", "o"),
        )
        .unwrap()
    }

    #[test]
    fn local_options_win_except_for_global_true_flags() {
        let mut local = options("labels: {a: local}\ndisableNameSuffixHash: false\n");
        let global = options(
            "labels: {a: global, b: global}\nannotations: {n: g}\ndisableNameSuffixHash: true\nimmutable: true\n",
        );
        local.merge_global(&global);
        let labels: Vec<_> = local
            .labels
            .iter()
            .map(|l| (l.key.as_str(), l.value.as_str()))
            .collect();
        assert_eq!(labels, [("a", "local"), ("b", "global")]);
        assert_eq!(local.annotations.len(), 1);
        assert!(local.disable_name_suffix_hash && local.immutable);
    }

    #[test]
    fn legacy_env_is_appended_for_kustomizations_only() {
        let n = parse_single(
            "k.yaml",
            "name: x\nenvs: [a.env]\nenv: b.env\nbehavior: bogus\n",
        )
        .unwrap();
        let d = Decoder::new(Mode::Strict, "invalid Kustomization", "g");
        let a = GeneratorArgs::decode(DataKind::ConfigMap, &n, &d, true).unwrap();
        assert_eq!(
            a.envs.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
            ["a.env", "b.env"]
        );
        assert_eq!(a.behavior, Behavior::Unspecified);
        let p = GeneratorArgs::decode(DataKind::ConfigMap, &n, &d, false).unwrap();
        assert_eq!(p.envs.len(), 1);
    }

    #[test]
    fn type_is_a_secret_field_only() {
        let n = parse_single("k.yaml", "name: x\ntype: kubernetes.io/tls\n").unwrap();
        let d = Decoder::new(Mode::Strict, "invalid Kustomization", "g");
        assert!(GeneratorArgs::decode(DataKind::ConfigMap, &n, &d, true).is_err());
        let s = GeneratorArgs::decode(DataKind::Secret, &n, &d, true).unwrap();
        assert_eq!(s.secret_type.unwrap().text, "kubernetes.io/tls");
    }
}
