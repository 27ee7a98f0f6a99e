//! kubeconform's semantics over plain manifest files: documents split on
//! `---`, `kind: List` expanded, statuses valid / invalid / error /
//! skipped, `-strict`, `-skip`, `-reject`, `-ignore-missing-schemas`,
//! `-ignore-filename-pattern`, `-schema-location`, and its text output.
//! `gitopsc validate` runs it; so does the kubeconform conformance corpus.

use super::bundle::{DEFAULT_VERSION, bundle, minor};
use super::catalog::{Catalog, Location, Lookup};
use super::{Gvk, Header, SchemaError, header, resource_name, violations};
use crate::load::yaml::json::to_json;
use crate::load::yaml::{Node, parse_documents, parse_single_last_key_wins};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The CRDs catalog's URL template: served from the bundled CRDs.
const CATALOG_URL: &str = "https://raw.githubusercontent.com/datreeio/CRDs-catalog/";

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `1.34`, `1.34.0`, `v1.34.0` or `master` (the newest bundled minor).
    pub kubernetes_version: String,
    pub strict: bool,
    pub ignore_missing_schemas: bool,
    /// Kinds or `apiVersion/Kind`s to skip.
    pub skip: Vec<String>,
    /// Kinds or `apiVersion/Kind`s to reject.
    pub reject: Vec<String>,
    pub ignore_filename_patterns: Vec<regex::Regex>,
    /// `default`, a local path template, or the CRDs catalog URL. Empty:
    /// the bundled Kubernetes schemas, then the bundled CRDs.
    pub schema_locations: Vec<String>,
    /// Base for relative schema locations.
    pub base: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Valid,
    Invalid,
    Error,
    Skipped,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub file: String,
    /// 1-based line where the document starts.
    pub line: u32,
    pub kind: String,
    pub name: String,
    pub status: Status,
    /// Why it is invalid or an error (kubeconform's wording).
    pub detail: String,
}

/// One input: a path as given on the command line, or standard input.
pub enum Input {
    Path(String),
    Stdin(String),
}

#[derive(Debug, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    pub files: usize,
    pub missing_paths: Vec<String>,
    pub stdin: bool,
}

impl Report {
    pub fn count(&self, s: Status) -> usize {
        self.outcomes.iter().filter(|o| o.status == s).count()
    }
    /// 1 when a resource is invalid or an error, or a path is missing.
    pub fn exit_code(&self) -> u8 {
        u8::from(
            !self.missing_paths.is_empty()
                || self
                    .outcomes
                    .iter()
                    .any(|o| matches!(o.status, Status::Invalid | Status::Error)),
        )
    }
    /// kubeconform's text output.
    pub fn text(&self, verbose: bool, summary: bool) -> String {
        let mut s = String::new();
        for p in &self.missing_paths {
            s.push_str(&format!(
                "{p} - failed validation: lstat {p}: no such file or directory\n"
            ));
        }
        for o in &self.outcomes {
            let line = match o.status {
                Status::Valid if verbose => format!("{} - {} {} is valid", o.file, o.kind, o.name),
                Status::Skipped if verbose => format!("{} - {} {} skipped", o.file, o.name, o.kind),
                Status::Invalid => format!(
                    "{} - {} {} is invalid: {}",
                    o.file, o.kind, o.name, o.detail
                ),
                Status::Error => {
                    let who = format!("{} {}", o.kind, o.name);
                    let who = who.trim();
                    if who.is_empty() {
                        format!("{} - failed validation: {}", o.file, o.detail)
                    } else {
                        format!("{} - {who} failed validation: {}", o.file, o.detail)
                    }
                }
                _ => continue,
            };
            s.push_str(&line);
            s.push('\n');
        }
        if summary {
            let n = self.outcomes.len();
            let plural = |n: usize, w: &str| {
                if n == 1 {
                    format!("{n} {w}")
                } else {
                    format!("{n} {w}s")
                }
            };
            let place = if self.stdin {
                "parsing stdin".to_string()
            } else {
                format!("in {}", plural(self.files, "file"))
            };
            s.push_str(&format!(
                "Summary: {} found {place} - Valid: {}, Invalid: {}, Errors: {}, Skipped: {}\n",
                plural(n, "resource"),
                self.count(Status::Valid),
                self.count(Status::Invalid),
                self.count(Status::Error),
                self.count(Status::Skipped)
            ));
        }
        s
    }
}

/// Resolves `master`, `1.34.0`, `v1.34` to a bundled minor.
pub fn bundled_minor(v: &str) -> Result<String, String> {
    let all = bundle().versions();
    if v.is_empty() {
        return Ok(DEFAULT_VERSION.to_string());
    }
    if v == "master" || v == "latest" {
        return all
            .last()
            .cloned()
            .ok_or_else(|| "no bundled schemas".to_string());
    }
    let m = minor(v).ok_or_else(|| format!("invalid Kubernetes version {v}"))?;
    let key = format!("1.{m}");
    if bundle().version(&key).is_some() {
        Ok(key)
    } else {
        Err(format!(
            "no bundled schemas for Kubernetes {v} (bundled: {} to {})",
            all.first().map(String::as_str).unwrap_or("?"),
            all.last().map(String::as_str).unwrap_or("?")
        ))
    }
}

/// The locations of `opts`; remote ones other than the CRDs catalog are
/// refused (gitopsc is offline).
fn locations(opts: &Options) -> Result<Vec<Location>, SchemaError> {
    if opts.schema_locations.is_empty() {
        // kubeconform's default, plus the bundled CRDs of the platform stack.
        return Ok(vec![Location::Kubernetes, Location::BundledCrds]);
    }
    let mut out = Vec::new();
    for l in &opts.schema_locations {
        if l == "default"
            || l.starts_with("https://raw.githubusercontent.com/yannh/kubernetes-json-schema/")
        {
            out.push(Location::Kubernetes);
        } else if l.starts_with(CATALOG_URL) {
            out.push(Location::BundledCrds);
        } else if l.starts_with("http://") || l.starts_with("https://") {
            return Err(SchemaError::new(
                format!(
                    "schema location {l} is remote; gitopsc validates offline: download the schemas to a folder and pass its path"
                ),
                Path::new(l),
            ));
        } else {
            let p = Path::new(l);
            let path = if p.is_absolute() {
                p.to_path_buf()
            } else {
                opts.base.join(p)
            };
            out.push(Location::Template(path.to_string_lossy().into_owned()));
        }
    }
    Ok(out)
}

/// Validates `inputs`; `Err` for unusable options (exit status 2).
pub fn validate(opts: &Options, inputs: &[Input]) -> Result<Report, SchemaError> {
    let minor =
        bundled_minor(&opts.kubernetes_version).map_err(|e| SchemaError::new(e, Path::new("")))?;
    let catalog = Catalog::new(locations(opts)?);
    let mut report = Report::default();
    let mut files: Vec<(String, String)> = Vec::new();
    for input in inputs {
        match input {
            Input::Stdin(text) => {
                report.stdin = true;
                files.push(("stdin".to_string(), text.clone()));
            }
            Input::Path(p) => {
                let path = opts.base.join(p);
                if !path.exists() {
                    report.missing_paths.push(p.clone());
                    continue;
                }
                let mut found = Vec::new();
                if path.is_dir() {
                    collect(&path, p, &mut found, 0);
                } else {
                    found.push((path, p.clone()));
                }
                for (abs, shown) in found {
                    if opts
                        .ignore_filename_patterns
                        .iter()
                        .any(|r| r.is_match(&shown))
                    {
                        continue;
                    }
                    match std::fs::read(&abs) {
                        Ok(bytes) => {
                            files.push((shown, String::from_utf8_lossy(&bytes).into_owned()))
                        }
                        Err(_) => report.missing_paths.push(shown),
                    }
                }
            }
        }
    }
    report.files = files.len();
    let json_file = |f: &str| f.ends_with(".json");
    // One unit of work per document: parsing and validation run in parallel.
    let docs: Vec<(usize, u32, &str)> = files
        .iter()
        .enumerate()
        .flat_map(|(i, (name, text))| {
            if json_file(name) {
                vec![(i, 1, text.as_str())]
            } else {
                split_documents(text)
                    .into_iter()
                    .map(|(line, doc)| (i, line, doc))
                    .collect()
            }
        })
        .collect();
    let per_doc: Vec<Vec<Outcome>> = docs
        .par_iter()
        .map(|(i, line, text)| check_document(opts, &catalog, &minor, &files[*i].0, *line, text))
        .collect();
    report.outcomes = per_doc.into_iter().flatten().collect();
    Ok(report)
}

fn collect(dir: &Path, shown: &str, out: &mut Vec<(PathBuf, String)>, depth: usize) {
    if depth > 30 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let child = format!("{}/{name}", shown.trim_end_matches('/'));
        if p.is_dir() {
            collect(&p, &child, out, depth + 1);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push((p, child));
        }
    }
}

/// Documents of a YAML stream, split on `---` lines like kubeconform,
/// each with the 1-based line it starts on.
pub fn split_documents(text: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut start_line = 1u32;
    let mut pos = 0;
    for (line_no, line) in (1u32..).zip(text.split_inclusive('\n')) {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") || t.starts_with("---\t") {
            if pos > start || start_line != line_no {
                out.push((start_line, &text[start..pos]));
            }
            // A separator line with content keeps it in the next document.
            if t == "---" {
                start = pos + line.len();
                start_line = line_no + 1;
            } else {
                start = pos;
                start_line = line_no;
            }
        }
        pos += line.len();
    }
    out.push((start_line, &text[start..]));
    out
}

fn matches_list(list: &[String], gvk: &Gvk) -> bool {
    let full = format!("{}/{}", gvk.api_version(), gvk.kind);
    list.iter().any(|e| *e == gvk.kind || *e == full)
}

fn check_document(
    opts: &Options,
    catalog: &Catalog,
    minor: &str,
    file: &str,
    line: u32,
    text: &str,
) -> Vec<Outcome> {
    let outcome = |kind: &str, name: &str, status, detail: String| Outcome {
        file: file.to_string(),
        line,
        kind: kind.to_string(),
        name: name.to_string(),
        status,
        detail,
    };
    let parsed = if opts.strict {
        parse_documents(file, text).map(|d| d.into_iter().next().unwrap_or_default())
    } else {
        parse_single_last_key_wins(file, text)
    };
    let node = match parsed {
        Ok(n) => n,
        Err(e) => {
            return vec![outcome(
                "",
                "",
                Status::Error,
                format!("error unmarshalling resource: {}", e.message),
            )];
        }
    };
    if node.is_null() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if node.get_str("kind") == Some("List")
        && let Some(items) = node.get("items").and_then(Node::as_seq)
    {
        for item in items {
            out.push(check_resource(opts, catalog, minor, item, &outcome));
        }
        return out;
    }
    if node.get_str("kind") == Some("List") {
        return out;
    }
    out.push(check_resource(opts, catalog, minor, &node, &outcome));
    out
}

fn check_resource(
    opts: &Options,
    catalog: &Catalog,
    minor: &str,
    node: &Node,
    outcome: &dyn Fn(&str, &str, Status, String) -> Outcome,
) -> Outcome {
    let name = resource_name(node);
    let gvk = match header(node) {
        Header::Typed(g) => g,
        Header::NotMapping => {
            return outcome("", "", Status::Error, "resource is not a mapping".into());
        }
        Header::MissingKind => {
            return outcome("", &name, Status::Error, "missing 'kind' key".into());
        }
        Header::MissingApiVersion => {
            return outcome(
                node.get_str("kind").unwrap_or(""),
                &name,
                Status::Error,
                "missing 'apiVersion' key".into(),
            );
        }
    };
    let kind = gvk.kind.as_str();
    if matches_list(&opts.skip, &gvk) {
        return outcome(kind, &name, Status::Skipped, String::new());
    }
    if matches_list(&opts.reject, &gvk) {
        return outcome(
            kind,
            &name,
            Status::Error,
            format!("prohibited resource kind {kind}"),
        );
    }
    let compiled = match catalog.lookup(minor, &gvk, opts.strict) {
        Lookup::Found(c) => c,
        Lookup::Missing if opts.ignore_missing_schemas => {
            return outcome(kind, &name, Status::Skipped, String::new());
        }
        Lookup::Missing => {
            return outcome(
                kind,
                &name,
                Status::Error,
                format!("could not find schema for {kind}"),
            );
        }
        Lookup::Broken(e) => return outcome(kind, &name, Status::Error, e),
    };
    let found = violations::check(&compiled.validator, &to_json(node), kind == "Secret");
    if found.is_empty() {
        outcome(kind, &name, Status::Valid, String::new())
    } else {
        let detail: Vec<String> = found.iter().map(|v| v.kubeconform.clone()).collect();
        outcome(kind, &name, Status::Invalid, detail.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_on_separator_lines() {
        let docs = split_documents("a: 1\n---\nb: 2\n--- # c\nc: 3\n");
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0], (1, "a: 1\n"));
        assert_eq!(docs[1], (3, "b: 2\n"));
        assert_eq!(docs[2].0, 4);
        assert_eq!(split_documents("---\na: 1\n"), vec![(2, "a: 1\n")]);
    }

    #[test]
    fn versions_resolve() {
        assert_eq!(bundled_minor("1.34.0").unwrap(), "1.34");
        assert_eq!(bundled_minor("").unwrap(), "1.34");
        assert!(bundled_minor("master").is_ok());
        assert!(bundled_minor("1.2").is_err());
    }
}
