//! Images: `images:` / `imageTags:` entries and the builtin
//! `ImageTagTransformer`: find container images by name and replace their
//! name, tag or digest.

use super::decode::{Decoder, Spanned, field};
use super::setter::wrong_kind;
use crate::hydrate::kustomize::config::TransformerConfig;
use crate::hydrate::kustomize::context::{Ctx, Transformer, Transformers};
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::fieldspec::{self, FieldSpec};
use crate::hydrate::kustomize::kustomization::Kustomization;
use crate::hydrate::kustomize::pattern;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::hydrate::kustomize::resource::Resource;
use crate::load::yaml::{Node, Span, Style, Value};

/// One `images:` entry (kustomize's `types.Image`).
#[derive(Clone, Debug, Default)]
pub struct ImageSpec {
    pub name: Spanned,
    pub new_name: Spanned,
    pub new_tag: Spanned,
    pub digest: Spanned,
    pub tag_suffix: Spanned,
}

const IMAGE_FIELDS: [&str; 5] = ["name", "newName", "newTag", "digest", "tagSuffix"];

impl ImageSpec {
    /// Reads an entry found at `field` (`images`, `imageTags`, `imageTag`).
    pub fn from_node(n: &Node, d: &Decoder, field_name: &str) -> Result<ImageSpec> {
        let d = d.nested("Image", field_name);
        d.check_fields(n, &IMAGE_FIELDS)?;
        let s = |k: &str| d.string(field(n, k), k);
        Ok(ImageSpec {
            name: s("name")?,
            new_name: s("newName")?,
            new_tag: s("newTag")?,
            digest: s("digest")?,
            tag_suffix: s("tagSuffix")?,
        })
    }

    /// The image reference `value` becomes, or None when the entry does
    /// not name it.
    /// Whether this entry names the image `value`.
    pub fn matches(&self, value: &str, matcher: &Option<pattern::Image>) -> bool {
        matcher.as_ref().is_some_and(|re| re.is_match(value))
    }

    pub fn apply_to(&self, value: &str, matcher: &Option<pattern::Image>) -> Option<String> {
        if !self.matches(value, matcher) {
            return None;
        }
        let (mut name, mut tag, mut digest) = split(value);
        if !self.new_name.value.is_empty() {
            name = self.new_name.value.clone();
        }
        // A new tag or digest replaces both the old tag and the old digest.
        let (new_tag, new_digest) = (&self.new_tag.value, &self.digest.value);
        if !new_tag.is_empty() || !new_digest.is_empty() {
            tag = new_tag.clone();
            digest = new_digest.clone();
        } else if !self.tag_suffix.value.is_empty() {
            tag.push_str(&self.tag_suffix.value);
            digest.clear();
        }
        if !tag.is_empty() {
            name = format!("{name}:{tag}");
        }
        if !digest.is_empty() {
            name = format!("{name}@{digest}");
        }
        Some(name)
    }

    /// The line a person edits to change the result: the tag, digest,
    /// suffix or new name that was set, else the entry's name.
    pub fn provenance(&self) -> Option<&Span> {
        [
            &self.new_tag,
            &self.digest,
            &self.tag_suffix,
            &self.new_name,
            &self.name,
        ]
        .into_iter()
        .find(|s| !s.value.is_empty() && s.span.is_some())
        .and_then(|s| s.span.as_ref())
    }
}

/// kustomize's image matcher: the entry's name (used as a regular
/// expression, as kustomize does) followed by an optional tag and digest.
/// A name that is not a valid expression matches nothing.
pub fn matcher(name: &str) -> Option<pattern::Image> {
    pattern::Image::new(name)
}

/// Splits `[host[:port]/]path[:tag][@digest]` into name, tag and digest.
/// A `:` before the first `/` belongs to the registry host, not a tag.
pub fn split(image: &str) -> (String, String, String) {
    let offset = match image.find('/') {
        Some(i) if i > 0 => i,
        _ => 0,
    };
    let search = &image[offset..];
    let at = search.find('@').map(|i| i + offset);
    let colon = search.find(':').map(|i| i + offset);
    let owned = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    match (colon, at) {
        (Some(c), Some(a)) if c < a => owned(&image[..c], &image[c + 1..a], &image[a + 1..]),
        (_, Some(a)) => owned(&image[..a], "", &image[a + 1..]),
        (Some(c), None) => owned(&image[..c], &image[c + 1..], ""),
        (None, None) => owned(image, "", ""),
    }
}

/// Rewrites matching images in containers and at the `images` field specs.
pub struct ImageTagTransformer {
    pub image: ImageSpec,
    pub field_specs: Vec<FieldSpec>,
    matcher: Option<pattern::Image>,
}

impl ImageTagTransformer {
    pub fn new(image: ImageSpec, field_specs: Vec<FieldSpec>) -> ImageTagTransformer {
        let matcher = matcher(&image.name.value);
        ImageTagTransformer {
            image,
            field_specs,
            matcher,
        }
    }

    /// From an `ImageTagTransformer` plugin config (`imageTag`, `fieldSpecs`).
    pub fn from_config(config: &Node, d: &Decoder) -> Result<ImageTagTransformer> {
        let image = match d.object(field(config, "imageTag"), "imageTag")? {
            Some(n) => ImageSpec::from_node(n, d, "imageTag")?,
            None => ImageSpec::default(),
        };
        Ok(ImageTagTransformer::new(
            image,
            FieldSpec::list_from_node(field(config, "fieldSpecs"))?,
        ))
    }

    /// Replaces the image scalar `node` when the entry names it.
    fn update(&self, node: &mut Node) -> Result<()> {
        let Value::Scalar(old) = &node.value else {
            return Err(wrong_kind("ScalarNode", node));
        };
        let Some(new) = self.image.apply_to(&old.text, &self.matcher) else {
            return Ok(());
        };
        // kyaml sets the new text untagged and keeps the old quoting, so a
        // plain value is typed by its text and a quoted one stays a string.
        let style = old.style;
        let mut replacement = if style == Style::Plain {
            Node::plain(new)
        } else {
            Node::string(new)
        };
        if let Value::Scalar(s) = &mut replacement.value {
            s.style = style;
        }
        *node = replacement.with_span(
            self.image
                .provenance()
                .cloned()
                .or_else(|| node.span.clone()),
        );
        Ok(())
    }

    /// kustomize's legacy pass: every `containers` / `initContainers` list
    /// anywhere in the object, deepest first.
    fn update_containers(&self, node: &mut Node) -> Result<()> {
        visit_containers(node, &mut |n| self.update(n))
    }

    /// Both passes over one resource: the container walk, then the specs.
    fn apply_to_resource(&self, r: &mut Resource) -> Result<()> {
        self.update_containers(&mut r.node)?;
        self.visit_field_specs(r, &mut |n| self.update(n))
    }

    fn visit_field_specs(
        &self,
        r: &mut Resource,
        visit: &mut dyn FnMut(&mut Node) -> Result<()>,
    ) -> Result<()> {
        let gvk = r.gvk();
        for spec in &self.field_specs {
            fieldspec::apply(&mut r.node, &gvk, spec, None, None, visit)?;
        }
        Ok(())
    }

    /// The image values both passes would look at in `r`, failing where an
    /// update would (a non-scalar image).
    fn images_in(&self, r: &mut Resource) -> Result<Vec<String>> {
        let mut found = Vec::new();
        let mut record = |n: &mut Node| match &n.value {
            Value::Scalar(s) => {
                found.push(s.text.clone());
                Ok(())
            }
            _ => Err(wrong_kind("ScalarNode", n)),
        };
        visit_containers(&mut r.node, &mut record)?;
        self.visit_field_specs(r, &mut record)?;
        Ok(found)
    }
}

/// Calls `visit` on the `image` of every item of every `containers` /
/// `initContainers` list in `node`, deepest lists first.
fn visit_containers(node: &mut Node, visit: &mut dyn FnMut(&mut Node) -> Result<()>) -> Result<()> {
    match &mut node.value {
        Value::Map(map) => {
            for e in map.entries.iter_mut() {
                visit_containers(&mut e.value, visit)?;
                let is_list = e.key == "containers" || e.key == "initContainers";
                if let (true, Value::Seq(items)) = (is_list, &mut e.value.value) {
                    for item in items.iter_mut() {
                        visit_container(item, visit)?;
                    }
                }
            }
        }
        Value::Seq(items) => {
            for item in items.iter_mut() {
                visit_containers(item, visit)?;
            }
        }
        Value::Scalar(_) => {}
    }
    Ok(())
}

fn visit_container(item: &mut Node, visit: &mut dyn FnMut(&mut Node) -> Result<()>) -> Result<()> {
    if item.is_null() {
        return Ok(());
    }
    let Value::Map(map) = &mut item.value else {
        return Err(wrong_kind("MappingNode", item));
    };
    match map.get_mut("image") {
        Some(image) if !image.is_null() => visit(image),
        _ => Ok(()),
    }
}

/// All `images:` entries of a kustomization. kustomize runs one transformer
/// per entry, each over every resource; an entry only changes images it
/// matches and fails only on the shape of a resource, never on its values,
/// so the entries run resource by resource here, skipping a resource when
/// none of its images matches the entry: the same result without a walk of
/// every resource per entry.
pub struct ImageTagTransformers {
    entries: Vec<ImageTagTransformer>,
}

impl Transformer for ImageTagTransformers {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        let Some(first) = self.entries.first() else {
            return Ok(());
        };
        // The first entry's run, minus the updates: its errors, in its
        // order, and its one side effect (null lists at the specs' paths
        // become empty), which every later entry would repeat unchanged.
        for r in m
            .iter_mut()
            .filter(|r| r.kind() != "CustomResourceDefinition")
        {
            visit_containers(&mut r.node, &mut |n| first.images_check(n))?;
        }
        for r in m
            .iter_mut()
            .filter(|r| r.kind() != "CustomResourceDefinition")
        {
            first.visit_field_specs(r, &mut |n| first.images_check(n))?;
        }
        for r in m.iter_mut() {
            if r.kind() == "CustomResourceDefinition" {
                continue;
            }
            let mut images = first.images_in(r)?;
            for e in &self.entries {
                if !images.iter().any(|i| e.image.matches(i, &e.matcher)) {
                    continue;
                }
                e.apply_to_resource(r)?;
                images = first.images_in(r)?;
            }
        }
        Ok(())
    }

    fn runs(&self) -> usize {
        self.entries.len()
    }
}

impl ImageTagTransformer {
    /// What `update` checks before it looks at the value.
    fn images_check(&self, node: &mut Node) -> Result<()> {
        match &node.value {
            Value::Scalar(_) => Ok(()),
            _ => Err(wrong_kind("ScalarNode", node)),
        }
    }
}

impl Transformer for ImageTagTransformer {
    fn transform(&self, m: &mut ResMap, _ctx: &Ctx) -> Result<()> {
        self.apply(m)
    }
}

impl ImageTagTransformer {
    /// The legacy container walk over all resources, then the field specs.
    pub fn apply(&self, m: &mut ResMap) -> Result<()> {
        for r in m.iter_mut() {
            // CRDs describe images in their schemas; kustomize leaves them alone.
            if r.kind() == "CustomResourceDefinition" {
                continue;
            }
            self.update_containers(&mut r.node)?;
        }
        for r in m.iter_mut() {
            if r.kind() == "CustomResourceDefinition" {
                continue;
            }
            let gvk = r.gvk();
            for spec in &self.field_specs {
                fieldspec::apply(&mut r.node, &gvk, spec, None, None, &mut |n| self.update(n))?;
            }
        }
        Ok(())
    }
}

/// One transformer run per `images:` entry, then per `imageTags:` entry.
pub fn from_kustomization(k: &Kustomization, tc: &TransformerConfig) -> Result<Transformers> {
    let d = Decoder::kustomization();
    let mut entries = Vec::new();
    for key in ["images", "imageTags"] {
        for entry in d.array(k.get(key), key, "types.Image")? {
            if !entry.is_map() && !entry.is_null() {
                return Err(KustError::invalid(format!(
                    "invalid Kustomization: every item of {key} must be a mapping"
                ))
                .at(entry.span.as_ref()));
            }
            let spec = ImageSpec::from_node(entry, &d, key)?;
            entries.push(ImageTagTransformer::new(spec, tc.images.clone()));
        }
    }
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Box::new(ImageTagTransformers { entries })])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, new_name: &str, new_tag: &str, digest: &str) -> ImageSpec {
        let s = |v: &str| Spanned {
            value: v.into(),
            span: None,
        };
        ImageSpec {
            name: s(name),
            new_name: s(new_name),
            new_tag: s(new_tag),
            digest: s(digest),
            tag_suffix: s(""),
        }
    }

    #[test]
    fn splits_references() {
        let parts = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(split("nginx"), parts("nginx", "", ""));
        assert_eq!(split("nginx:1.7"), parts("nginx", "1.7", ""));
        assert_eq!(split("host:5000/a/b"), parts("host:5000/a/b", "", ""));
        assert_eq!(split("host:5000/a/b:v1"), parts("host:5000/a/b", "v1", ""));
        assert_eq!(split("a@sha256:ab"), parts("a", "", "sha256:ab"));
        assert_eq!(split("a:v1@sha256:ab"), parts("a", "v1", "sha256:ab"));
    }

    #[test]
    fn matches_names_with_tags_and_digests_only() {
        let m = matcher("nginx");
        let s = spec("nginx", "", "v2", "");
        assert_eq!(s.apply_to("nginx", &m).as_deref(), Some("nginx:v2"));
        assert_eq!(
            s.apply_to("nginx:1@sha256:abc", &m).as_deref(),
            Some("nginx:v2")
        );
        assert_eq!(s.apply_to("my-nginx:1", &m), None);
        assert_eq!(s.apply_to("nginx-x:1", &m), None);
        let reg = spec("myhost:1234/my/image", "", "v1.0.1", "");
        assert_eq!(
            reg.apply_to("myhost:1234/my/image", &matcher("myhost:1234/my/image"))
                .as_deref(),
            Some("myhost:1234/my/image:v1.0.1")
        );
        assert!(matcher("[").is_none());
    }

    #[test]
    fn digest_and_new_name() {
        let m = matcher("docker");
        let s = spec("docker", "my-docker", "", "sha256:25a0d4b4");
        assert_eq!(
            s.apply_to("docker:17-git", &m).as_deref(),
            Some("my-docker@sha256:25a0d4b4")
        );
        let s = spec("docker", "my-docker", "", "");
        assert_eq!(
            s.apply_to("docker:17-git", &m).as_deref(),
            Some("my-docker:17-git")
        );
    }

    #[test]
    fn tag_suffix_appends() {
        let mut s = spec("a", "", "", "");
        s.tag_suffix.value = "-alpine".into();
        assert_eq!(
            s.apply_to("a:1@sha256:x", &matcher("a")).as_deref(),
            Some("a:1-alpine")
        );
    }

    fn resmap(docs: &[&str]) -> ResMap {
        let mut m = ResMap::new();
        for d in docs {
            let node = crate::load::yaml::parse_single("r.yaml", d).unwrap();
            m.append(crate::hydrate::kustomize::resource::Resource::new(node).unwrap())
                .unwrap();
        }
        m
    }

    #[test]
    fn walks_containers_anywhere_but_skips_crds() {
        let mut m = resmap(&[
            "kind: Random\nmetadata:\n  name: r\nspec2:\n  x:\n    initContainers:\n    - image: nginx:1\n",
            "kind: CustomResourceDefinition\nmetadata:\n  name: c\nspec:\n  containers:\n  - image: nginx\n",
        ]);
        let t = ImageTagTransformer::new(spec("nginx", "", "v2", ""), Vec::new());
        t.apply(&mut m).unwrap();
        let image = |i: usize, path: &[&str]| {
            let list = m.get(i).node.get_path(path).unwrap().as_seq().unwrap();
            list[0].get_str("image").unwrap().to_string()
        };
        assert_eq!(image(0, &["spec2", "x", "initContainers"]), "nginx:v2");
        assert_eq!(image(1, &["spec", "containers"]), "nginx");
    }

    #[test]
    fn field_specs_run_after_the_container_walk() {
        // kustomize runs both passes, so a tag suffix lands twice on images
        // that both the walk and a field spec reach.
        let mut m = resmap(&[
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - image: a:1\n",
        ]);
        let mut s = spec("a", "", "", "");
        s.tag_suffix.value = "-x".into();
        let specs = vec![FieldSpec::new(
            "spec/template/spec/containers[]/image",
            true,
        )];
        ImageTagTransformer::new(s, specs).apply(&mut m).unwrap();
        let list = m
            .get(0)
            .node
            .get_path(&["spec", "template", "spec", "containers"])
            .unwrap();
        assert_eq!(list.as_seq().unwrap()[0].get_str("image"), Some("a:1-x-x"));
    }

    #[test]
    fn non_mapping_containers_are_errors() {
        let mut m = resmap(&["kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - nginx\n"]);
        let t = ImageTagTransformer::new(spec("nginx", "", "v2", ""), Vec::new());
        assert!(t.apply(&mut m).is_err());
    }

    #[test]
    fn numeric_tags_are_rejected_like_kustomize() {
        let text = "images:\n- name: alpine\n  newTag: 3.6\n";
        let node = crate::load::yaml::parse_single("kustomization.yaml", text).unwrap();
        let k = Kustomization::from_node("kustomization.yaml", node).unwrap();
        let e = match from_kustomization(&k, &TransformerConfig::default()) {
            Err(e) => e,
            Ok(_) => panic!("a numeric newTag must be rejected"),
        };
        assert!(
            e.message.ends_with(
                "cannot unmarshal number into Go struct field Image.images.newTag of type string"
            ),
            "{}",
            e.message
        );
        assert_eq!(e.span.map(|s| s.line), Some(3));
    }

    #[test]
    fn new_images_point_at_the_line_that_set_them() {
        let k = crate::load::yaml::parse_single(
            "overlays/prod/kustomization.yaml",
            "images:\n- name: nginx\n  newName: my/nginx\n  newTag: v2\n",
        )
        .unwrap();
        let entry = &k.get("images").unwrap().as_seq().unwrap()[0];
        let spec = ImageSpec::from_node(entry, &Decoder::kustomization(), "images").unwrap();
        let mut m = resmap(&[
            "kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image: nginx:1\n",
        ]);
        ImageTagTransformer::new(spec, Vec::new())
            .apply(&mut m)
            .unwrap();
        let list = m.get(0).node.get_path(&["spec", "containers"]).unwrap();
        let image = list.as_seq().unwrap()[0].get("image").unwrap();
        assert_eq!(image.as_str(), Some("my/nginx:v2"));
        let span = image.span.as_ref().unwrap();
        assert_eq!(
            (&*span.file, span.line),
            ("overlays/prod/kustomization.yaml", 4)
        );
    }
}
