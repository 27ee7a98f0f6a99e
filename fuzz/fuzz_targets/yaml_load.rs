//! The YAML loader and emitter must never panic, whatever the bytes; what
//! they accept must print and re-read to the same tree.
#![no_main]

use gitopsc::load::yaml::{emit::emit_documents, parse_documents};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(docs) = parse_documents("fuzz.yaml", text) else { return };
    let docs: Vec<_> = docs.into_iter().filter(|d| d.is_map()).collect();
    let printed = emit_documents(&docs);
    // Printing is a fixed point: what we print, we read back and print the same.
    if let Ok(again) = parse_documents("printed.yaml", &printed) {
        let again: Vec<_> = again.into_iter().filter(|d| !d.is_null()).collect();
        assert_eq!(printed, emit_documents(&again), "emit is not a fixed point for {text:?}");
    }
});
