//! An ordered set of resources with unique current ids.

use super::error::{ErrorKind, KustError, Result};
use super::resid::ResId;
use super::resource::Resource;

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
        let id = r.cur_id();
        if let Some(existing) = self.resources.iter().find(|x| x.cur_id().equals(&id)) {
            return Err(KustError::new(
                ErrorKind::Conflict,
                format!("may not add resource with an already registered id: {id}"),
            )
            .at(r.meta.source.as_ref().or(existing.meta.source.as_ref())));
        }
        self.resources.push(r);
        Ok(())
    }

    pub fn append_all(&mut self, other: ResMap) -> Result<()> {
        for r in other.resources {
            self.append(r)?;
        }
        Ok(())
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
