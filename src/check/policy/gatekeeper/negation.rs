//! A source rewrite that gives negated calls OPA's meaning under regorus.
//!
//! OPA's compiler evaluates the arguments of a call eagerly, before the
//! call: a reference argument (`params.ranges`) or a nested call
//! (`count(x)`) becomes a separate expression placed in front of it
//! (`__local1__ = params.ranges; not f(__local1__)`). Under `not`, that
//! expression stays outside the negation, so `not f(params.ranges)` FAILS
//! when `params.ranges` is undefined: the body stops there. Operators are
//! calls too (`not x.y == "a"` needs `x.y` defined). regorus evaluates the
//! whole negated expression instead, so an undefined argument makes it
//! succeed. Gatekeeper library policies rely on OPA's behaviour, e.g.
//! `not accept_value(rule, provided_value, params.ranges)` when the
//! parameters have no `ranges` (psp users).
//!
//! The rewrite does what OPA's compiler does: each such argument moves to
//! `__gkN = (<argument>);` in front of the negated call, which then reads
//! `__gkN` (an argument that iterates, `x[_]`, iterates outside the
//! negation, as in OPA). Unification (`not x = y`), plain references (`not x.y`) and bare
//! variables are left alone, as OPA leaves them. Insertions stay on their
//! line. A module regorus cannot parse is returned unchanged (the engine
//! then reports the error).

use regorus::Source;
use regorus::unstable::{Expr, Literal, Parser, Query, Rule, RuleHead};

/// `text` with a definedness check in front of every negated call whose
/// arguments OPA would evaluate first.
pub fn hoist_negated_call_args(file: &str, text: &str) -> String {
    let Ok(source) = Source::from_contents(file.to_string(), text.to_string()) else {
        return text.to_string();
    };
    let Ok(mut parser) = Parser::new(&source) else {
        return text.to_string();
    };
    let Ok(module) = parser.parse() else {
        return text.to_string();
    };
    let mut edits = Edits::default();
    for rule in &module.policy {
        match rule.as_ref() {
            Rule::Spec { head, bodies, .. } => {
                if let RuleHead::Func { args, .. } = head {
                    for a in args {
                        walk_expr(a, &mut edits);
                    }
                }
                for b in bodies {
                    walk_query(&b.query, &mut edits);
                    if let Some(a) = &b.assign {
                        walk_expr(&a.value, &mut edits);
                    }
                }
            }
            Rule::Default { .. } => {}
        }
    }
    if edits.list.is_empty() {
        return text.to_string();
    }
    // By position; an insertion before a replacement at the same place.
    edits.list.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::with_capacity(text.len() + 64 * edits.list.len());
    let mut copied = 0;
    for (start, end, s) in edits.list {
        let inside = |i: usize| i <= text.len() && text.is_char_boundary(i);
        if start < copied || !inside(start) || !inside(end) {
            // Nested in an argument already moved: left as written.
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(&s);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Replacements `(start, end, text)` (an insertion when `start == end`)
/// and the counter of generated variables.
#[derive(Default)]
struct Edits {
    list: Vec<(usize, usize, String)>,
    vars: usize,
}

fn walk_query(q: &Query, inserts: &mut Edits) {
    for stmt in &q.stmts {
        match &stmt.literal {
            Literal::NotExpr { span, expr } => {
                walk_expr(expr, inserts);
                if !stmt.with_mods.is_empty() {
                    continue;
                }
                let mut needed = Vec::new();
                call_args(expr, &mut needed);
                let mut moved = String::new();
                for arg in needed {
                    let var = format!("__gk{}", inserts.vars);
                    inserts.vars += 1;
                    let s = arg.span();
                    moved.push_str(&format!("{var} = ({}); ", s.text()));
                    inserts.list.push((s.start as usize, s.end as usize, var));
                }
                if !moved.is_empty() {
                    let at = span.start as usize;
                    inserts.list.push((at, at, moved));
                }
            }
            Literal::Expr { expr, .. } => walk_expr(expr, inserts),
            Literal::SomeIn {
                key,
                value,
                collection,
                ..
            } => {
                if let Some(k) = key {
                    walk_expr(k, inserts);
                }
                walk_expr(value, inserts);
                walk_expr(collection, inserts);
            }
            Literal::Every { domain, query, .. } => {
                walk_expr(domain, inserts);
                walk_query(query, inserts);
            }
            Literal::SomeVars { .. } => {}
        }
    }
}

/// Negations inside comprehensions.
fn walk_expr(e: &Expr, inserts: &mut Edits) {
    match e {
        Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
            walk_expr(term, inserts);
            walk_query(query, inserts);
        }
        Expr::ObjectCompr {
            key, value, query, ..
        } => {
            walk_expr(key, inserts);
            walk_expr(value, inserts);
            walk_query(query, inserts);
        }
        Expr::Array { items, .. } | Expr::Set { items, .. } => {
            items.iter().for_each(|i| walk_expr(i, inserts))
        }
        Expr::Object { fields, .. } => fields.iter().for_each(|(_, k, v)| {
            walk_expr(k, inserts);
            walk_expr(v, inserts);
        }),
        Expr::Call { params, .. } => params.iter().for_each(|p| walk_expr(p, inserts)),
        Expr::UnaryExpr { expr, .. } => walk_expr(expr, inserts),
        Expr::RefBrack { refr, index, .. } => {
            walk_expr(refr, inserts);
            walk_expr(index, inserts);
        }
        Expr::RefDot { refr, .. } => walk_expr(refr, inserts),
        Expr::BinExpr { lhs, rhs, .. }
        | Expr::BoolExpr { lhs, rhs, .. }
        | Expr::ArithExpr { lhs, rhs, .. }
        | Expr::AssignExpr { lhs, rhs, .. } => {
            walk_expr(lhs, inserts);
            walk_expr(rhs, inserts);
        }
        Expr::Membership {
            key,
            value,
            collection,
            ..
        } => {
            if let Some(k) = key {
                walk_expr(k, inserts);
            }
            walk_expr(value, inserts);
            walk_expr(collection, inserts);
        }
        _ => {}
    }
}

/// The arguments of a call expression that OPA evaluates before the call.
fn call_args<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::Call { params, .. } => params.iter().for_each(|p| argument(p, out)),
        Expr::BinExpr { lhs, rhs, .. }
        | Expr::BoolExpr { lhs, rhs, .. }
        | Expr::ArithExpr { lhs, rhs, .. } => {
            argument(lhs, out);
            argument(rhs, out);
        }
        Expr::Membership {
            key,
            value,
            collection,
            ..
        } => {
            if let Some(k) = key {
                argument(k, out);
            }
            argument(value, out);
            argument(collection, out);
        }
        // Unification and plain terms: no call, nothing evaluated first.
        _ => {}
    }
}

/// One argument: references and nested calls must be defined; the
/// elements of collection literals are arguments too.
fn argument<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::RefDot { .. }
        | Expr::RefBrack { .. }
        | Expr::Call { .. }
        | Expr::BinExpr { .. }
        | Expr::BoolExpr { .. }
        | Expr::ArithExpr { .. }
        | Expr::Membership { .. } => out.push(e),
        Expr::Array { items, .. } | Expr::Set { items, .. } => {
            items.iter().for_each(|i| argument(i, out))
        }
        Expr::Object { fields, .. } => fields.iter().for_each(|(_, k, v)| {
            argument(k, out);
            argument(v, out);
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::hoist_negated_call_args as hoist;

    #[test]
    fn checks_reference_and_call_arguments_of_negated_calls() {
        let src = "package p\nv[m] {\n  not f(r, params.ranges)\n  m := 1\n}\n";
        assert_eq!(
            hoist("t.rego", src),
            "package p\nv[m] {\n  __gk0 = (params.ranges); not f(r, __gk0)\n  m := 1\n}\n"
        );
        let op = "package p\nv { not count(input.x) > 0 }\n";
        assert_eq!(
            hoist("t.rego", op),
            "package p\nv { __gk0 = (count(input.x)); not __gk0 > 0 }\n"
        );
    }

    #[test]
    fn leaves_other_negations_alone() {
        for src in [
            "package p\nv { not input.x }\n",
            "package p\nv { not input.x = 1 }\n",
            "package p\nv { x := 1; not f(x) }\n",
            "package p\nv { not f(1, \"a\") }\n",
            "package p\nv[{",
        ] {
            assert_eq!(hoist("t.rego", src), src);
        }
    }

    #[test]
    fn a_missing_argument_fails_the_negation_as_in_opa() {
        use crate::check::policy::engine::{Dialect, PolicySet, to_json};
        let src = "package p\nacc(\"any\", _)\nv[1] { params := {\"rule\": \"any\"}; not acc(params.rule, params.ranges) }\nw[1] { not input.missing == 1 }\nx[y] { y := [1, 2][_]; not f(y, {2: 3, 1: 1}[_]) }\nf(a, b) { a == b }\n";
        let mut set = PolicySet::new();
        set.add_module("p.rego", &hoist("p.rego", src), Dialect::V0)
            .unwrap();
        let mut e = set.evaluator();
        e.set_input(regorus::Value::from(serde_json::json!({})));
        for rule in ["data.p.v", "data.p.w"] {
            let v = to_json(&e.eval_rule(rule.into()).unwrap());
            assert_eq!(v, serde_json::json!([]), "{rule}");
        }
        // The iteration in an argument happens outside the negation: 1 is
        // kept (f(1, 3) fails), and so is 2 (f(2, 1) and f(2, 3) fail).
        let x = to_json(&e.eval_rule("data.p.x".into()).unwrap());
        assert_eq!(x, serde_json::json!([1, 2]));
    }
}
