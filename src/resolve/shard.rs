//! `--shard i/n`: a deterministic split of targets over `n` jobs. A target
//! belongs to shard `1 + (h mod n)` where `h` is a hash of its id, so
//! adding or removing a target never moves another one (GitLab's
//! `parallel: N` gives `CI_NODE_INDEX/CI_NODE_TOTAL` in the same form).

use sha2::{Digest, Sha256};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    pub total: u32,
}

impl Shard {
    /// Whether the target `id` (`app/env`) is this shard's.
    pub fn owns(&self, id: &str) -> bool {
        shard_of(id, self.total) == self.index
    }
}

/// The 1-based shard of target `id` among `total`.
pub fn shard_of(id: &str, total: u32) -> u32 {
    let d = Sha256::digest(id.as_bytes());
    let h = u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]);
    (h % u64::from(total.max(1))) as u32 + 1
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("invalid shard '{s}': expected I/N with 1 <= I <= N, e.g. 2/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let total: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || total == 0 || index > total {
            return Err(bad());
        }
        Ok(Shard { index, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_partitions() {
        assert_eq!(
            "2/3".parse::<Shard>().unwrap(),
            Shard { index: 2, total: 3 }
        );
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        let ids: Vec<String> = (0..300).map(|i| format!("app{i}/prod")).collect();
        let mut counts = [0; 3];
        for id in &ids {
            let owners: Vec<u32> = (1..=3)
                .filter(|i| {
                    Shard {
                        index: *i,
                        total: 3,
                    }
                    .owns(id)
                })
                .collect();
            assert_eq!(owners.len(), 1);
            counts[owners[0] as usize - 1] += 1;
        }
        assert!(counts.iter().all(|c| *c > 70), "{counts:?}");
        assert_eq!(shard_of("x/dev", 1), 1);
    }
}
