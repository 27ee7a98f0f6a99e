//! Reads the bundled patch metadata table (`patch_metadata.txt`, written by
//! `scripts/gen_patch_metadata.py`; its header explains the format).

use super::{Definitions, Shape};
use std::collections::HashSet;

pub const TABLE: &str = include_str!("patch_metadata.txt");

/// Whether the table lists the resource type `(apiVersion, kind)`. Read
/// from its `@` lines alone, without parsing the type definitions: every
/// build asks this, few builds need the definitions.
pub fn lists_resource(api_version: &str, kind: &str) -> bool {
    static TYPES: std::sync::OnceLock<HashSet<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    TYPES
        .get_or_init(|| {
            TABLE
                .lines()
                .filter_map(|l| {
                    let mut p = l.strip_prefix("@ ")?.split_whitespace();
                    let (av, kind) = (p.next()?, p.next()?);
                    p.next().map(|_| (av, kind))
                })
                .collect()
        })
        .contains(&(api_version, kind))
}

/// Expands the abbreviated type-name prefixes of the table.
fn long_name(short: &str) -> String {
    if let Some(rest) = short.strip_prefix("~~") {
        format!("io.k8s.apimachinery.pkg.{rest}")
    } else if let Some(rest) = short.strip_prefix('~') {
        format!("io.k8s.apimachinery.pkg.apis.{rest}")
    } else if short.starts_with("io.") {
        short.to_string()
    } else {
        format!("io.k8s.api.{short}")
    }
}

fn named(t: &str) -> Option<Box<Shape>> {
    (!t.is_empty() && t != "-").then(|| {
        Box::new(Shape {
            reference: Some(long_name(t)),
            ..Shape::default()
        })
    })
}

/// One ` field target [strategy [keys]]` line.
fn field(line: &str) -> Option<(String, Shape)> {
    let mut parts = line.split_whitespace();
    let name = parts.next()?.to_string();
    let target = parts.next()?;
    let mut shape = if let Some(t) = target.strip_prefix("[]") {
        Shape {
            is_array: true,
            items: named(t),
            open: true,
            ..Shape::default()
        }
    } else if let Some(t) = target.strip_prefix("{}") {
        Shape {
            additional: named(t),
            open: true,
            ..Shape::default()
        }
    } else if target == "-" {
        Shape {
            open: true,
            ..Shape::default()
        }
    } else {
        *named(target)?
    };
    shape.strategy = parts.next().map(str::to_string);
    shape.keys = parts
        .next()
        .map(|k| k.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    Some((name, shape))
}

/// Parses the table; malformed lines are skipped (the `builtin_table_parses`
/// test checks there are none).
pub fn parse(text: &str) -> Definitions {
    let mut defs = Definitions::default();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("@ ") {
            let mut p = rest.split_whitespace();
            if let (Some(av), Some(kind), Some(t)) = (p.next(), p.next(), p.next()) {
                let t = (t != "-").then(|| long_name(t));
                defs.resources.insert((av.to_string(), kind.to_string()), t);
            }
            continue;
        }
        if line.starts_with(' ') {
            let def = current.as_ref().and_then(|t| defs.types.get_mut(t));
            if let (Some(def), Some((name, shape))) = (def, field(line)) {
                def.properties.insert(name, shape);
            }
            continue;
        }
        let name = long_name(line.trim());
        defs.types.insert(
            name.clone(),
            Shape {
                open: true,
                ..Shape::default()
            },
        );
        current = Some(name);
    }
    defs
}
