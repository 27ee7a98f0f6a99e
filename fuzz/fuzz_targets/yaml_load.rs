//! The YAML loader and emitter must never panic, whatever the bytes; what
//! they print must read back as the same tree. (Byte equality is not
//! asked: go-yaml v2's key order is not transitive for keys such as `10`,
//! `1a`, `01`, so kustomize itself prints those maps in varying orders.)
#![no_main]

use gitopsc::load::yaml::{emit::emit_documents, parse_documents};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(docs) = parse_documents("fuzz.yaml", text) else { return };
    let docs: Vec<_> = docs.into_iter().filter(|d| d.is_map()).collect();
    let printed = emit_documents(&docs);
    // What we print reads back, and printing that again reads back the same.
    let again = parse_documents("printed.yaml", &printed).expect("printed YAML parses");
    let again: Vec<_> = again.into_iter().filter(|d| !d.is_null()).collect();
    let reprinted = emit_documents(&again);
    let third = parse_documents("reprinted.yaml", &reprinted).expect("reprinted YAML parses");
    let third: Vec<_> = third.into_iter().filter(|d| !d.is_null()).collect();
    assert!(again == third, "printing changed the tree for {text:?}");
});
