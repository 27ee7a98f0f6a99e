//! An ordered set of resources with unique current ids.

use super::error::{ErrorKind, KustError, Result};
use super::resid::ResId;
use super::resource::Resource;
use std::collections::HashMap;

/// A resource's current id as kustomize compares them (namespace made
/// effective), borrowed from the object: no allocation per comparison.
#[derive(PartialEq, Eq, Hash)]
struct IdKey<'a> {
    api_version: &'a str,
    kind: &'a str,
    name: &'a str,
    namespace: &'a str,
}

type OwnedKey = (String, String, String, String);

impl<'a> IdKey<'a> {
    fn owned(&self) -> OwnedKey {
        (
            self.api_version.to_string(),
            self.kind.to_string(),
            self.name.to_string(),
            self.namespace.to_string(),
        )
    }

    fn of(r: &'a Resource) -> IdKey<'a> {
        let api_version = r.api_version();
        let kind = r.kind();
        let group = api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
        let namespace = if super::resid::is_cluster_scoped_kind(group, kind) {
            ""
        } else {
            match r.namespace() {
                "" => "default",
                ns => ns,
            }
        };
        IdKey {
            api_version,
            kind,
            name: r.name(),
            namespace,
        }
    }
}

fn conflict(new: &Resource, existing: &Resource) -> KustError {
    KustError::new(
        ErrorKind::Conflict,
        format!(
            "may not add resource with an already registered id: {}",
            new.cur_id()
        ),
    )
    .at(new.meta.source.as_ref().or(existing.meta.source.as_ref()))
}

#[derive(Clone, Debug, Default)]
pub struct ResMap {
    resources: Vec<Resource>,
}

impl ResMap {
    pub fn new() -> ResMap {
        ResMap::default()
    }
    pub fn len(&self) -> usize {
        self.resources.len()
    }
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Resource> {
        self.resources.iter()
    }
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Resource> {
        self.resources.iter_mut()
    }
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }
    pub fn resources_mut(&mut self) -> &mut Vec<Resource> {
        &mut self.resources
    }
    pub fn into_resources(self) -> Vec<Resource> {
        self.resources
    }

    /// Adds a resource; its current id must not be taken.
    pub fn append(&mut self, r: Resource) -> Result<()> {
        let key = IdKey::of(&r);
        if let Some(existing) = self.resources.iter().find(|x| IdKey::of(x) == key) {
            return Err(conflict(&r, existing));
        }
        self.resources.push(r);
        Ok(())
    }

    /// Adds every resource of `other`, in order, with the same id checks as
    /// [`ResMap::append`] (hashed, so large builds stay linear).
    pub fn append_all(&mut self, other: ResMap) -> Result<()> {
        let mut seen: HashMap<OwnedKey, usize> =
            HashMap::with_capacity(self.resources.len() + other.len());
        for (i, r) in self.resources.iter().enumerate() {
            seen.entry(IdKey::of(r).owned()).or_insert(i);
        }
        for r in other.resources {
            let key = IdKey::of(&r).owned();
            if let Some(&i) = seen.get(&key) {
                return Err(conflict(&r, &self.resources[i]));
            }
            seen.insert(key, self.resources.len());
            self.resources.push(r);
        }
        Ok(())
    }

    /// Indices of the resources whose current id equals resource `i`'s
    /// (`i` included), compared without allocating.
    pub fn same_cur_id_as(&self, i: usize) -> Vec<usize> {
        let key = IdKey::of(&self.resources[i]);
        (0..self.resources.len())
            .filter(|&j| IdKey::of(&self.resources[j]) == key)
            .collect()
    }

    /// A map of `resources`, checked for duplicate ids.
    pub fn from_resources(resources: Vec<Resource>) -> Result<ResMap> {
        let mut m = ResMap::new();
        m.append_all(ResMap { resources })?;
        Ok(m)
    }

    /// Adds without checking ids (kustomize's `AppendAll` for intermediate
    /// results where ids are checked later).
    pub fn push_unchecked(&mut self, r: Resource) {
        self.resources.push(r);
    }

    pub fn position_by_cur_id(&self, id: &ResId) -> Option<usize> {
        self.resources.iter().position(|r| r.cur_id().equals(id))
    }

    /// Indices of resources whose current id satisfies `pred`.
    pub fn matching_cur(&self, pred: impl Fn(&ResId) -> bool) -> Vec<usize> {
        (0..self.resources.len())
            .filter(|&i| pred(&self.resources[i].cur_id()))
            .collect()
    }

    /// Indices of resources that had `id` at any point (current or previous).
    pub fn matching_any_id(&self, id: &ResId) -> Vec<usize> {
        (0..self.resources.len())
            .filter(|&i| self.resources[i].all_ids().iter().any(|x| x.equals(id)))
            .collect()
    }

    pub fn get(&self, i: usize) -> &Resource {
        &self.resources[i]
    }
    pub fn get_mut(&mut self, i: usize) -> &mut Resource {
        &mut self.resources[i]
    }
    pub fn remove(&mut self, i: usize) -> Resource {
        self.resources.remove(i)
    }
    pub fn replace(&mut self, i: usize, r: Resource) {
        self.resources[i] = r;
    }
    pub fn retain(&mut self, f: impl FnMut(&Resource) -> bool) {
        self.resources.retain(f);
    }
}

impl IntoIterator for ResMap {
    type Item = Resource;
    type IntoIter = std::vec::IntoIter<Resource>;
    fn into_iter(self) -> Self::IntoIter {
        self.resources.into_iter()
    }
}
