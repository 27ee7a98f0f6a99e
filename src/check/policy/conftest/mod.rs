//! User policy folders with conftest semantics: packages (namespaces),
//! `deny` / `violation` / `warn` rules and their `_suffix` variants,
//! `exception` rules, extra data, combined mode, and `test_` rules.

pub mod check;
pub mod eval;
pub mod load;
pub mod verify;

pub use eval::{Finding, Index, Outcome};
pub use load::{LoadError, LoadOptions, Policies, RegoVersion};

use regorus::Value;
use std::path::PathBuf;

/// How policy folders are evaluated (`gitopsc check --policy ...` flags).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Folders or `.rego` files.
    pub policies: Vec<PathBuf>,
    /// Packages evaluated; `main` when empty; `*` globs allowed.
    pub namespaces: Vec<String>,
    pub all_namespaces: bool,
    /// JSON / YAML files or folders merged into `data`.
    pub data: Vec<PathBuf>,
    /// One evaluation per target with `input` = every resource.
    pub combine: bool,
    pub rego_version: RegoVersion,
}

/// conftest's combined input: `[{"path": ..., "contents": ...}]`, sorted
/// by path (stable: documents of one file keep their order).
pub fn combined_input(mut docs: Vec<(String, serde_json::Value)>) -> serde_json::Value {
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    serde_json::Value::Array(
        docs.into_iter()
            .map(|(path, contents)| serde_json::json!({"path": path, "contents": contents}))
            .collect(),
    )
}

/// `conftest test` over parsed files: each document of each file is one
/// input (an empty file is one `null` input), or, with `combine`, all of
/// them are one input named `Combined`. Returns the outcome per file and
/// namespace, in order.
pub fn test_files(
    policies: &Policies,
    opts: &Options,
    files: &[(String, Vec<serde_json::Value>)],
) -> Result<Vec<(String, String, Outcome)>, eval::EvalError> {
    let index = Index::new(&policies.defs);
    let namespaces = index.select(&opts.namespaces, opts.all_namespaces);
    let mut engine = policies.set.evaluator();
    let inputs: Vec<(String, Vec<serde_json::Value>)> = if opts.combine {
        let docs = files
            .iter()
            .flat_map(|(f, docs)| docs.iter().map(move |d| (f.clone(), d.clone())))
            .collect();
        vec![("Combined".to_string(), vec![combined_input(docs)])]
    } else {
        files
            .iter()
            .map(|(f, docs)| {
                let docs = if docs.is_empty() {
                    vec![serde_json::Value::Null]
                } else {
                    docs.clone()
                };
                (f.clone(), docs)
            })
            .collect()
    };
    let mut out = Vec::new();
    for (file, docs) in inputs {
        for ns in &namespaces {
            let mut total = Outcome::default();
            for d in &docs {
                engine.set_input(Value::from(d.clone()));
                total.add(eval::eval_namespace(&mut engine, &index, ns)?);
            }
            out.push((file.clone(), ns.clone(), total));
        }
    }
    Ok(out)
}
