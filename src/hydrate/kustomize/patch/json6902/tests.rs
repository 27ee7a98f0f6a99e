use super::*;
use crate::load::yaml::parse_single;

fn obj(text: &str) -> Node {
    parse_single("r.yaml", text).unwrap()
}

fn apply(patch: &str, o: &str) -> Result<Node> {
    let p = JsonPatch::parse("p.yaml", patch, None)?;
    let mut n = obj(o);
    p.apply(&mut n)?;
    Ok(n)
}

#[test]
fn go_float_formatting() {
    for (f, s) in [
        (3.0, "3"),
        (100000.0, "100000"),
        (1000000.0, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (1.5, "1.5"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2.5e21, "-2.5e+21"),
        (0.0, "0"),
    ] {
        assert_eq!(go_float_text(f), s);
    }
}

#[test]
fn operations() {
    let o = "a: {b: 1, c: [x, y]}\nd: keep\n";
    let n = apply(
        "- op: add\n  path: /a/c/-\n  value: z\n- op: add\n  path: /a/c/0\n  value: w\n",
        o,
    )
    .unwrap();
    assert_eq!(n, obj("a: {b: 1, c: [w, x, y, z]}\nd: keep\n"));
    let n = apply("[{\"op\": \"replace\", \"path\": \"/a/b\", \"value\": \"2\"}, {\"op\": \"remove\", \"path\": \"/d\"}]", o).unwrap();
    assert_eq!(n, obj("a: {b: '2', c: [x, y]}\n"));
    let n = apply(
        "- op: move\n  from: /d\n  path: /a/e\n- op: copy\n  from: /a/b\n  path: /f\n",
        o,
    )
    .unwrap();
    assert_eq!(n, obj("a: {b: 1, c: [x, y], e: keep}\nf: 1\n"));
    let n = apply("- op: add\n  path: /a~1b/c~0d\n  value: on\n", "a/b: {}\n").unwrap();
    assert_eq!(n, obj("a/b: {c~d: true}\n"));
    assert!(apply("- op: test\n  path: /a/b\n  value: 1.0\n", o).is_ok());
    assert!(apply("- op: test\n  path: /a/b\n  value: 2\n", o).is_err());
}

#[test]
fn errors_point_at_the_operation() {
    let o = "a: {}\n";
    let e = apply("- op: replace\n  path: /a/missing\n  value: 1\n", o).unwrap_err();
    assert_eq!(e.span.unwrap().line, 1);
    assert!(apply("- op: add\n  path: /x/y\n  value: 1\n", o).is_err());
    assert!(apply("- op: remove\n  path: /a/nope\n", o).is_err());
    assert!(apply("- op: frob\n  path: /a\n", o).is_err());
    assert!(apply("- op: add\n  path: /a/0/0\n  value: 1\n", "a: [[]]\n").is_ok());
}

#[test]
fn values_are_retyped_like_json() {
    let n = apply(
        "- op: add\n  path: /n\n  value: 1000000\n",
        "b: True\nm: 0x10\n",
    )
    .unwrap();
    assert_eq!(n.get("n").unwrap().as_scalar().unwrap().text, "1e+06");
    assert_eq!(n.get("b").unwrap().as_scalar().unwrap().text, "true");
    assert_eq!(n.get("m").unwrap().as_scalar().unwrap().text, "16");
    // Added values keep the patch's location.
    assert_eq!(
        n.get("n").unwrap().span.as_ref().unwrap().file.as_ref(),
        "p.yaml"
    );
}
