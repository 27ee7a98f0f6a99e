//! Key/value pairs of a generator: env files first, then literals, then
//! files, as kustomize reads them. Every pair remembers where its value
//! was written, so a generated `data` entry points at the line to edit.

use super::args::GeneratorArgs;
use super::decode::Sourced;
use crate::hydrate::kustomize::error::{KustError, Result};
use crate::hydrate::kustomize::loader::{Loader, display_path};
use crate::load::yaml::Span;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvPair {
    pub key: String,
    /// Raw bytes: files may hold binary data.
    pub value: Vec<u8>,
    /// The kustomization line (literal, `files:` entry) that names the key.
    pub key_span: Option<Span>,
    /// Where the value was written: the literal, the env file line, the file.
    pub value_span: Option<Span>,
}

/// Every pair of the generator, checked for repeated keys.
pub fn load_pairs(args: &GeneratorArgs, loader: &Loader) -> Result<Vec<KvPair>> {
    let pairs = read_all(args, loader).map_err(|e| e.context("loading KV pairs"))?;
    for (i, p) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|q| q.key == p.key) {
            // kustomize says "configmap" for Secrets too.
            return Err(KustError::invalid(format!(
                "configmap {} illegally repeats the key `{}`",
                args.name(),
                p.key
            ))
            .at(p.key_span.as_ref().or(args.span.as_ref())));
        }
    }
    Ok(pairs)
}

fn read_all(args: &GeneratorArgs, loader: &Loader) -> Result<Vec<KvPair>> {
    let mut all = Vec::new();
    for env in &args.envs {
        let read = || {
            let (path, bytes) = loader.read_bytes(&env.text, env.span.as_ref())?;
            let file: Arc<str> = display_path(&path).into();
            env_pairs(&bytes, &file, env.span.as_ref())
        };
        all.extend(
            read().map_err(|e| e.context(format!("env source files: {}", go_list(&args.envs))))?,
        );
    }
    for lit in &args.literals {
        let (key, value) = parse_literal(&lit.text).map_err(|e| {
            e.at(lit.span.as_ref())
                .context(format!("literal sources {}", go_list(&args.literals)))
        })?;
        all.push(KvPair {
            key,
            value: value.into_bytes(),
            key_span: lit.span.clone(),
            value_span: lit.span.clone(),
        });
    }
    for f in &args.files {
        let wrap = |e: KustError| e.context(format!("file sources: {}", go_list(&args.files)));
        let (key, rel) = parse_file_source(&f.text).map_err(|e| wrap(e.at(f.span.as_ref())))?;
        let (path, bytes) = loader.read_bytes(&rel, f.span.as_ref()).map_err(wrap)?;
        all.push(KvPair {
            key,
            value_span: Some(whole_file_span(&display_path(&path), bytes.len())),
            value: bytes,
            key_span: f.span.clone(),
        });
    }
    Ok(all)
}

/// Go's `%v` of a string slice: `[a b c]`.
fn go_list(items: &[Sourced]) -> String {
    let texts: Vec<&str> = items.iter().map(|s| s.text.as_str()).collect();
    format!("[{}]", texts.join(" "))
}

/// A span covering a whole file, starting at its first line.
fn whole_file_span(file: &str, len: usize) -> Span {
    Span {
        file: file.into(),
        line: 1,
        col: 1,
        start: 0,
        end: len,
    }
}

/// `key=value`; the value may contain `=` and loses one pair of matching
/// surrounding quotes.
pub fn parse_literal(source: &str) -> Result<(String, String)> {
    match source.split_once('=') {
        Some((key, value)) if !key.is_empty() => {
            Ok((key.to_string(), remove_quotes(value).to_string()))
        }
        _ => Err(KustError::invalid(format!(
            "invalid literal source {source}, expected key=value"
        ))),
    }
}

/// Strips one pair of quotes when the same quote char opens and closes.
fn remove_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b[b.len() - 1] && (b[0] == b'"' || b[0] == b'\'') {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// `[key=]path`: without a key, the key is the path's last element.
pub fn parse_file_source(source: &str) -> Result<(String, String)> {
    let parts: Vec<&str> = source.split('=').collect();
    match parts.as_slice() {
        [path] => Ok((go_path_base(path), path.to_string())),
        ["", path] => Err(KustError::invalid(format!(
            "missing key name for file path {path:?} in source {source:?}"
        ))),
        [key, ""] => Err(KustError::invalid(format!(
            "missing file path for key name {key:?} in source {source:?}"
        ))),
        [key, path] => Ok((key.to_string(), path.to_string())),
        _ => Err(KustError::invalid(format!(
            "source {source:?} key name or file path contains '='"
        ))),
    }
}

/// Go's `path.Base`: the last slash-separated element, ignoring trailing
/// slashes; `.` for an empty path and `/` for the root.
fn go_path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// Pairs of an env file: one `KEY=VALUE` per line; blank lines and lines
/// starting with `#` are skipped, leading whitespace is dropped, a line
/// without `=` gives an empty value, and a UTF-8 BOM may open the file.
pub fn env_pairs(content: &[u8], file: &Arc<str>, at: Option<&Span>) -> Result<Vec<KvPair>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (index, raw) in content.split(|b| *b == b'\n').enumerate() {
        let line_start = offset;
        offset += raw.len() + 1;
        if line_start >= content.len() && raw.is_empty() {
            break; // the text after a final newline is no line
        }
        let mut line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(text) = std::str::from_utf8(line) else {
            let bytes: Vec<String> = line.iter().map(|b| b.to_string()).collect();
            return Err(KustError::invalid(format!(
                "line [{}] has invalid utf8 bytes : {}",
                bytes.join(" "),
                String::from_utf8_lossy(line)
            ))
            .at(at));
        };
        let mut text = text;
        let mut skipped = 0;
        if index == 0
            && let Some(rest) = text.strip_prefix('\u{feff}')
        {
            text = rest;
            skipped = 3;
        }
        let trimmed = text.trim_start();
        skipped += text.len() - trimmed.len();
        line = trimmed.as_bytes();
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let (key, value) = trimmed.split_once('=').unwrap_or((trimmed, ""));
        if key.is_empty() {
            continue; // kustomize drops pairs without a key
        }
        let span = Span {
            file: file.clone(),
            line: index as u32 + 1,
            col: skipped as u32 + 1,
            start: line_start + skipped,
            end: line_start + skipped + trimmed.len(),
        };
        out.push(KvPair {
            key: key.to_string(),
            value: value.as_bytes().to_vec(),
            key_span: Some(span.clone()),
            value_span: Some(span),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_split_at_the_first_equals_and_lose_matching_quotes() {
        assert_eq!(parse_literal("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert_eq!(parse_literal("a=\"x y\"").unwrap().1, "x y");
        assert_eq!(parse_literal("a='x\"").unwrap().1, "'x\"");
        assert_eq!(parse_literal("TEST='").unwrap().1, "'");
        assert_eq!(parse_literal("a=").unwrap().1, "");
        let e = parse_literal("=x").unwrap_err();
        assert_eq!(e.message, "invalid literal source =x, expected key=value");
        assert!(parse_literal("novalue").is_err());
    }

    #[test]
    fn file_sources_name_keys_after_the_file() {
        assert_eq!(
            parse_file_source("dir/app.conf").unwrap(),
            ("app.conf".into(), "dir/app.conf".into())
        );
        assert_eq!(
            parse_file_source("k=dir/app.conf").unwrap(),
            ("k".into(), "dir/app.conf".into())
        );
        assert_eq!(
            parse_file_source("=a").unwrap_err().message,
            "missing key name for file path \"a\" in source \"=a\""
        );
        assert!(parse_file_source("k=").is_err());
        assert!(
            parse_file_source("a=b=c")
                .unwrap_err()
                .message
                .contains("contains '='")
        );
    }

    #[test]
    fn env_files_follow_kustomize() {
        let text = "\u{feff}A=1\r\n# comment\n\n   B = two \nC\n=skipped\nD=x=y";
        let file: Arc<str> = "x.env".into();
        let pairs = env_pairs(text.as_bytes(), &file, None).unwrap();
        let kv: Vec<(&str, String)> = pairs
            .iter()
            .map(|p| (p.key.as_str(), String::from_utf8(p.value.clone()).unwrap()))
            .collect();
        assert_eq!(
            kv,
            [
                ("A", "1".to_string()),
                ("B ", " two ".to_string()),
                ("C", String::new()),
                ("D", "x=y".to_string())
            ]
        );
        let b = &pairs[1].value_span.as_ref().unwrap();
        assert_eq!((b.line, b.col), (4, 4));
        assert_eq!(&text[b.start..b.end], "B = two ");
    }

    #[test]
    fn env_files_must_be_utf8() {
        let file: Arc<str> = "x.env".into();
        assert!(env_pairs(b"A=\xff\n", &file, None).is_err());
    }
}
