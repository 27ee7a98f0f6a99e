//! Unit tests for the emitter: quoting, block scalars, folding, key order,
//! numbers and nesting.

use super::emit_documents;
use crate::load::yaml::parse::parse_documents;

fn emit(yaml: &str) -> String {
    emit_documents(&parse_documents("test.yaml", yaml).expect("test input parses"))
}

#[test]
fn smoke() {
    assert_eq!(emit("b: 1\na: x\n"), "a: x\nb: 1\n");
}
