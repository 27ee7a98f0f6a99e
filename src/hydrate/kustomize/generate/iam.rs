//! The builtin `IAMPolicyGenerator`: a ServiceAccount bound to a cloud
//! service account (GKE workload identity is the only cloud kustomize
//! supports).

use super::decode::{Decoder, Mode, Sourced};
use crate::hydrate::kustomize::context::{Ctx, Generator};
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::kustomization::get_ci;
use crate::hydrate::kustomize::resmap::ResMap;
use crate::hydrate::kustomize::resource::Resource;
use crate::load::yaml::{Entry, Map, Node, Span, Value};

pub struct IamPolicyGenerator {
    cloud: Sourced,
    k8s_name: Sourced,
    k8s_namespace: Sourced,
    gsa_name: Sourced,
    project_id: Sourced,
    span: Option<Span>,
}

impl IamPolicyGenerator {
    pub fn from_config(config: &Node) -> Result<IamPolicyGenerator> {
        let d = Decoder::new(
            Mode::Lenient,
            "IAMPolicyGenerator",
            "IAMPolicyGeneratorPlugin",
        );
        let field = |parent: Option<&Node>, name: &str, d: &Decoder| -> Result<Sourced> {
            let found = match parent {
                Some(p) => d.string(p, name)?,
                None => None,
            };
            Ok(found.unwrap_or(Sourced {
                text: String::new(),
                span: config.span.clone(),
            }))
        };
        let service = get_ci(config, "kubernetesService");
        let account = get_ci(config, "serviceAccount");
        for (n, name) in [(service, "kubernetesService"), (account, "serviceAccount")] {
            if let Some(n) = n {
                d.nested(name)
                    .object(n, &format!("types.{}", upper_first(name)))?;
            }
        }
        let service_d = d.nested("kubernetesService");
        let account_d = d.nested("serviceAccount");
        Ok(IamPolicyGenerator {
            cloud: field(Some(config), "cloud", &d)?,
            k8s_name: field(service, "name", &service_d)?,
            k8s_namespace: field(service, "namespace", &service_d)?,
            gsa_name: field(account, "name", &account_d)?,
            project_id: field(account, "projectId", &account_d)?,
            span: config.span.clone(),
        })
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

impl Generator for IamPolicyGenerator {
    fn generate(&self, _ctx: &Ctx) -> Result<ResMap> {
        if self.cloud.text != "gke" {
            return Err(KustError::invalid(format!(
                "cloud provider {} not supported yet",
                self.cloud.text
            ))
            .at(self.cloud.span.as_ref())
            .with_help("IAMPolicyGenerator supports `cloud: gke` only"));
        }
        let at = self.span.clone();
        let gsa = format!(
            "{}@{}.iam.gserviceaccount.com",
            self.gsa_name.text, self.project_id.text
        );
        // kustomize fills a YAML template, so values resolve as plain YAML.
        let mut annotations = Map::default();
        push(
            &mut annotations,
            "iam.gke.io/gcp-service-account",
            Node::plain(gsa).with_span(self.gsa_name.span.clone()),
            &at,
        );
        let mut meta = Map::default();
        push(
            &mut meta,
            "annotations",
            Node::new(Value::Map(annotations)).with_span(at.clone()),
            &at,
        );
        push(
            &mut meta,
            "name",
            Node::plain(&self.k8s_name.text).with_span(self.k8s_name.span.clone()),
            &at,
        );
        if !self.k8s_namespace.text.is_empty() {
            let ns =
                Node::plain(&self.k8s_namespace.text).with_span(self.k8s_namespace.span.clone());
            push(&mut meta, "namespace", ns, &at);
        }
        let mut obj = Map::default();
        push(
            &mut obj,
            "apiVersion",
            Node::string("v1").with_span(at.clone()),
            &at,
        );
        push(
            &mut obj,
            "kind",
            Node::string("ServiceAccount").with_span(at.clone()),
            &at,
        );
        push(
            &mut obj,
            "metadata",
            Node::new(Value::Map(meta)).with_span(at.clone()),
            &at,
        );
        let mut m = ResMap::new();
        m.append(Resource::new(Node::new(Value::Map(obj)).with_span(at))?)?;
        Ok(m)
    }
}

fn push(map: &mut Map, key: &str, value: Node, at: &Option<Span>) {
    map.entries.push(Entry {
        key: key.to_string(),
        key_span: at.clone(),
        value,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_single;

    #[test]
    fn reads_nested_settings() {
        let n = parse_single(
            "g.yaml",
            "apiVersion: builtin\nkind: IAMPolicyGenerator\ncloud: gke\nkubernetesService:\n  namespace: ns\n  name: ksa\nserviceAccount:\n  name: gsa\n  projectId: proj\n",
        )
        .unwrap();
        let g = IamPolicyGenerator::from_config(&n).unwrap();
        assert_eq!(g.k8s_name.text, "ksa");
        assert_eq!(g.k8s_namespace.text, "ns");
        assert_eq!(g.project_id.text, "proj");
        assert_eq!(g.project_id.span.as_ref().unwrap().line, 9);
    }
}
