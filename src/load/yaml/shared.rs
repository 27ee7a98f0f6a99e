//! Parsing a text that was parsed before answers with a copy of the
//! earlier tree. The targets of a repository read the same files again and
//! again (an app's base in each of its environments, a shared component in
//! every app), and copying a tree costs a fraction of parsing it.
//!
//! Results are keyed by file name and the whole text (compared on every
//! hit), so a changed file is parsed anew; the memory held is bounded.

use super::node::Node;
use super::parse::{YamlError, parse_documents, parse_single_last_key_wins};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

/// Texts larger than this are parsed each time (generated bundles are read
/// once anyway).
const MAX_TEXT: usize = 256 * 1024;
/// Total text kept, across entries.
const MAX_TOTAL: usize = 64 * 1024 * 1024;

#[derive(Clone, Copy, Hash, PartialEq, Eq)]
enum Mode {
    Documents,
    SingleLastKeyWins,
}

struct Entry {
    file: Box<str>,
    text: Box<str>,
    mode: Mode,
    docs: Arc<Vec<Node>>,
}

#[derive(Default)]
struct Memo {
    entries: HashMap<u64, Vec<Entry>>,
    total: usize,
}

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(Mutex::default)
}

fn cached(
    file: &str,
    text: &str,
    mode: Mode,
    parse: impl FnOnce() -> Result<Vec<Node>, YamlError>,
) -> Result<Vec<Node>, YamlError> {
    if text.len() > MAX_TEXT {
        return parse();
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (file, text, mode).hash(&mut h);
    let key = h.finish();
    let hit = {
        let memo = memo().lock().unwrap_or_else(|p| p.into_inner());
        memo.entries.get(&key).and_then(|found| {
            found
                .iter()
                .find(|e| e.mode == mode && &*e.file == file && &*e.text == text)
                .map(|e| e.docs.clone())
        })
    };
    if let Some(docs) = hit {
        return Ok(docs.as_ref().clone());
    }
    let docs = parse()?;
    let mut memo = memo().lock().unwrap_or_else(|p| p.into_inner());
    if memo.total + text.len() <= MAX_TOTAL {
        memo.total += text.len();
        memo.entries.entry(key).or_default().push(Entry {
            file: file.into(),
            text: text.into(),
            mode,
            docs: Arc::new(docs.clone()),
        });
    }
    Ok(docs)
}

/// [`parse_documents`], answered from memory for a text seen before.
pub fn parse_documents_shared(file: &str, text: &str) -> Result<Vec<Node>, YamlError> {
    cached(file, text, Mode::Documents, || parse_documents(file, text))
}

/// [`parse_single_last_key_wins`], answered from memory for a text seen
/// before.
pub fn parse_single_last_key_wins_shared(file: &str, text: &str) -> Result<Node, YamlError> {
    let docs = cached(file, text, Mode::SingleLastKeyWins, || {
        parse_single_last_key_wins(file, text).map(|d| vec![d])
    })?;
    Ok(docs.into_iter().next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(docs: &[Node]) -> String {
        format!("{docs:?}")
    }

    #[test]
    fn answers_equal_fresh_parses() {
        let texts = [
            ("a.yaml", "a: 1\n---\nb: [x, y]\n"),
            ("b.yaml", "a: 1\n---\nb: [x, y]\n"),
            ("a.yaml", "a: 2\n"),
        ];
        for _ in 0..2 {
            for (file, text) in texts {
                assert_eq!(
                    dump(&parse_documents_shared(file, text).unwrap()),
                    dump(&parse_documents(file, text).unwrap())
                );
            }
            // Same text, other reading: a repeated key fails in one only.
            assert!(parse_documents_shared("k.yaml", "a: 1\na: 2\n").is_err());
            let last = parse_single_last_key_wins_shared("k.yaml", "a: 1\na: 2\n").unwrap();
            assert_eq!(
                format!("{last:?}"),
                format!(
                    "{:?}",
                    parse_single_last_key_wins("k.yaml", "a: 1\na: 2\n").unwrap()
                )
            );
        }
    }
}
