//! Unit tests for the emitter. The expected outputs of the document tests
//! were produced by the real chain (go-yaml v3 decode, encoding/json,
//! go-yaml v2 re-read and write) on the same input.

use super::number::{Number, format_g, format_json, read_json_number};
use super::order::key_less;
use super::resolve_v2::{is_base60_float, needs_quotes};
use super::timestamp;
use super::{emit_documents, emit_node};
use crate::load::yaml::node::{Node, Tag};
use crate::load::yaml::parse::parse_documents;

fn emit(yaml: &str) -> String {
    emit_documents(&parse_documents("test.yaml", yaml).expect("test input parses"))
}

#[track_caller]
fn check(input: &str, expected: &str) {
    assert_eq!(emit(input), expected, "input:\n{input}");
}

#[test]
fn quotes_strings_that_would_read_back_as_other_types() {
    check(
        r#"a: "on"
b: "yes"
c: "n"
d: "012"
e: "1e3"
f: "0x1F"
g: "~"
h: "null"
i: ""
j: "a: b"
k: "*x"
l: "2020-01-01"
m: "1:20"
n: "True"
o: "off"
p: "Y"
q: "+1"
r: ".5"
s: "1_000"
t: "<<"
u: "-"
v: "- x"
w: "x #y"
x: "x#y"
y: "a:"
z: "? x""#,
        r#"a: "on"
b: "yes"
c: "n"
d: "012"
e: "1e3"
f: "0x1F"
g: "~"
h: "null"
i: ""
j: 'a: b'
k: '*x'
l: "2020-01-01"
m: "1:20"
"n": "True"
o: "off"
p: "Y"
q: "+1"
r: ".5"
s: "1_000"
t: <<
u: '-'
v: '- x'
w: 'x #y'
x: x#y
"y": 'a:'
z: '? x'
"#,
    );
}

#[test]
fn quotes_indicators_and_edge_blanks() {
    check(
        "a: \"|x\"\nb: \">x\"\nc: \"'x\"\nd: \"\\\"x\"\ne: \"%x\"\nf: \"@x\"\ng: \"`x\"\nh: \"!x\"\ni: \"&x\"\nj: \",x\"\nk: \"[x\"\nl: \"{x\"\nm: \"#x\"\nn: \" x\"\no: \"x \"\np: \"---\"\nq: \"...x\"\nr: \"a\\tb\"\ns: \"it's\"\nt: \"x,y\"\nu: \"x[0]\"\nv: \"-x\"\nw: \":x\"\nx: \"?x\"",
        r#"a: '|x'
b: '>x'
c: '''x'
d: '"x'
e: '%x'
f: '@x'
g: '`x'
h: '!x'
i: '&x'
j: ',x'
k: '[x'
l: '{x'
m: '#x'
"n": ' x'
o: 'x '
p: '---'
q: '...x'
r: "a\tb"
s: it's
t: x,y
u: x[0]
v: -x
w: :x
x: ?x
"#,
    );
}

#[test]
fn writes_block_scalars_with_chomping_and_indent_hints() {
    check(
        r#"a: "x\n"
b: "x"
c: "x\ny"
d: "x\n\n"
e: " x\n"
f: "\nx"
g: "  x\ny"
h: "x \ny"
i: "x\n y"
j: "\n"
k: "x\n\n\n"
l: "x\ny ""#,
        r#"a: |
  x
b: x
c: |-
  x
  y
d: |+
  x

e: |2
   x
f: |2-

  x
g: |2-
    x
  y
h: "x \ny"
i: |-
  x
   y
j: |2+

k: |+
  x


l: "x\ny "
"#,
    );
}

#[test]
fn indents_block_scalars_in_nested_collections() {
    check(
        r#"a:
  b:
  - "x\ny"
  - c: " lead\n"
    d: "x\n\n""#,
        r#"a:
  b:
  - |-
    x
    y
  - c: |2
       lead
    d: |+
      x

"#,
    );
}

#[test]
fn folds_long_scalars_after_column_80() {
    check(
        r#"a: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"
b: "lorem ipsum dolor sit amet: consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"
c: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore\tet dolore magna aliqua"
d: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt  ut labore et dolore magna aliqua""#,
        r#"a: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt
  ut labore et dolore magna aliqua
b: 'lorem ipsum dolor sit amet: consectetur adipiscing elit sed do eiusmod tempor
  incididunt ut labore et dolore magna aliqua'
c: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt
  ut labore\tet dolore magna aliqua"
d: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt  ut
  labore et dolore magna aliqua
"#,
    );
}

#[test]
fn orders_keys_like_go_yaml_v2() {
    check(
        r#"a10: 1
a9: 2
A: 3
a: 4
_x: 5
B: 6
"1": 7
"10": 8
"9": 9
x-10: 1
x-9: 1
x_1: 1
x1: 1
a01: 1
ab: 1
"": 1
"-": 1"#,
        r#""": 1
'-': 1
_x: 5
"1": 7
"9": 9
"10": 8
A: 3
B: 6
a: 4
a01: 1
a9: 2
a10: 1
ab: 1
x-9: 1
x-10: 1
x_1: 1
x1: 1
"#,
    );
}

#[test]
fn normalises_numbers_through_json() {
    check(
        r#"a: 1.0
b: 1e21
c: 0.000001
d: 0.0000001
e: 123456789012345678901
f: 18446744073709551615
g: 9223372036854775808
h: 1e20
i: 1234567.5
j: 0.1
k: -0.0
l: 0x1F
m: 012
n: 0o17
o: 1_000
p: .5
q: 1e-7
r: 3.0e2
s: 100000000000000000000.5
t: 2.5e15
u: 08"#,
        r#"a: 1
b: 1e+21
c: 1e-06
d: 1e-07
e: 1.2345678901234568e+20
f: 18446744073709551615
g: 9223372036854775808
h: 1e+20
i: 1.2345675e+06
j: 0.1
k: 0
l: 31
m: 10
"n": 15
o: 1000
p: 0.5
q: 1e-07
r: 300
s: 1e+20
t: 2500000000000000
u: 8
"#,
    );
}

#[test]
fn writes_empty_and_null_collections() {
    check(
        r#"a: {}
b: []
c:
  d: {}
  e: []
  f:
  - {}
  - []
  - - x
    - []
  - null
g: ~
h:"#,
        r#"a: {}
b: []
c:
  d: {}
  e: []
  f:
  - {}
  - []
  - - x
    - []
  - null
g: null
h: null
"#,
    );
}

#[test]
fn handles_multibyte_and_special_characters() {
    check(
        r#"a: "héllo wörld"
b: "中文"
c: "😀"
d: "\u00a0x"
e: "x\u2028y"
f: "\ufeffx"
g: "é: x"
h: "\u200b"
i: "\u0085x""#,
        "a: héllo wörld\nb: 中文\nc: \"\\U0001F600\"\nd: \u{a0}x\ne: 'x\u{2028}  y'\nf: \"\\uFEFF\\x78\"\ng: 'é: x'\nh: \u{200b}\ni: ' x'\n",
    );
}

#[test]
fn turns_timestamps_into_rfc3339_strings() {
    check(
        r#"k: 2020-01-01
l: 2020-1-2T3:4:5Z
m: 2020-01-01 10:00:00
n: 2020-01-01T10:00:00.123+05:30
o: 2001-12-14t21:59:43.10-05:00
p: 2020-02-30
q: 2020-01-01T10:00:00.500000000Z"#,
        r#"k: "2020-01-01T00:00:00Z"
l: "2020-01-02T03:04:05Z"
m: "2020-01-01T10:00:00Z"
"n": "2020-01-01T10:00:00.123+05:30"
o: "2001-12-14T21:59:43.1-05:00"
p: 2020-02-30
q: "2020-01-01T10:00:00.5Z"
"#,
    );
}

#[test]
fn writes_long_and_multiline_keys_in_complex_form() {
    check(
        r#"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x
"x\ny": 1
b:
  "x\ny":
  - a"#,
        r#"? aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
: x
b:
  ? |-
    x
    y
  : - a
? |-
  x
  y
: 1
"#,
    );
}

#[test]
fn folds_single_and_double_quoted_and_nested_scalars() {
    check(
        r#"a: 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore: magna aliqua'
b:
- - "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore # magna aliqua"
c: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"
d: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna \t aliqua"
lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua: 1"#,
        r#"a: 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt
  ut labore et dolore: magna aliqua'
b:
- - 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor
    incididunt ut labore et dolore # magna aliqua'
c: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt
  ut labore et dolore magna aliqua lorem ipsum dolor sit amet consectetur adipiscing
  elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua
d: "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt
  ut labore et dolore magna aliqua lorem ipsum dolor sit amet consectetur adipiscing
  elit sed do eiusmod tempor incididunt ut labore et dolore magna \t aliqua"
lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua: 1
"#,
    );
}

#[test]
fn decodes_explicit_tags() {
    check(
        r#"a: !!binary aGVsbG8=
b: !!str 12
c: !!float 3
d: !custom val
e: !!int "7"
f: true
g: False"#,
        r#"a: hello
b: "12"
c: 3
d: val
e: 7
f: true
g: false
"#,
    );
}

#[test]
fn joins_documents_and_prints_nothing_for_an_empty_build() {
    assert_eq!(emit_documents(&[]), "");
    check(
        "b: 1\na: x\n---\nc: [1, 2]\n",
        "a: x\nb: 1\n---\nc:\n- 1\n- 2\n",
    );
}

#[test]
fn writes_nodes_built_in_code() {
    let mut doc = Node::map();
    let map = doc.as_map_mut().expect("just made a map");
    map.insert("port", Node::scalar("8080", Tag::Int));
    map.insert("name", Node::string("8080"));
    map.insert("on", Node::bool(true));
    map.insert("none", Node::null());
    assert_eq!(
        emit_node(&doc),
        "name: \"8080\"\nnone: null\n\"on\": true\nport: 8080\n"
    );
}

#[test]
fn nel_in_a_string_folds_like_a_line_break_in_the_json() {
    check("a: \"x\u{85}y\"\n", "a: x y\n");
    check("a: \"x \u{85}\u{85} y\"\n", "a: |-\n  x\n  y\n");
}

#[test]
fn key_order_is_natural_for_digits_and_puts_non_letters_first() {
    assert!(key_less("a9", "a10"));
    assert!(!key_less("a10", "a9"));
    assert!(key_less("A", "a"));
    assert!(key_less("_x", "A"));
    assert!(key_less("1", "a"));
    assert!(key_less("x-9", "x-10"));
    assert!(key_less("a", "ab"));
    assert!(key_less("a1", "a01"));
    assert!(key_less("apiVersion", "kind"));
    assert!(key_less("kind", "metadata"));
    assert!(key_less("metadata", "spec"));
}

#[test]
fn formats_floats_like_go() {
    assert_eq!(format_g(1e-7), "1e-07");
    assert_eq!(format_g(1.5e6), "1.5e+06");
    assert_eq!(format_g(123456.5), "123456.5");
    assert_eq!(format_g(0.0001), "0.0001");
    assert_eq!(format_g(0.00001), "1e-05");
    assert_eq!(format_g(1e100), "1e+100");
    assert_eq!(format_g(f64::NAN), ".nan");
    assert_eq!(format_g(f64::NEG_INFINITY), "-.inf");
    assert_eq!(format_json(1e21), "1e+21");
    assert_eq!(format_json(1e20), "100000000000000000000");
    assert_eq!(format_json(1e-7), "1e-7");
    assert_eq!(format_json(0.000001), "0.000001");
    assert_eq!(format_json(-0.0), "-0");
    assert_eq!(format_json(2.5), "2.5");
}

#[test]
fn reads_json_numbers_as_go_yaml_v2_does() {
    assert_eq!(read_json_number("1"), Number::Int(1));
    assert_eq!(read_json_number("-0"), Number::Int(0));
    assert_eq!(
        read_json_number("18446744073709551615"),
        Number::Uint(u64::MAX)
    );
    assert_eq!(
        read_json_number("100000000000000000000"),
        Number::Float(1e20)
    );
    assert_eq!(read_json_number("1e-7"), Number::Float(1e-7));
}

#[test]
fn quotes_what_yaml_1_1_would_not_read_as_a_string() {
    for s in [
        "",
        "~",
        "null",
        "y",
        "Y",
        "yes",
        "No",
        "on",
        "OFF",
        "true",
        "1",
        "-1",
        "+1",
        "012",
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "1e3",
        ".5",
        "-.inf",
        ".NaN",
        "2020-01-01",
        "1:20",
        "2020-1-2T3:4:5Z",
        "2020-01-01 10:00:00",
        "9223372036854775808",
    ] {
        assert!(needs_quotes(s), "{s:?} should be quoted");
    }
    for s in [
        "a",
        "yess",
        "<<",
        "-",
        "1.2.3",
        "v1",
        "0x",
        "1e",
        "2020-13-01",
        "2020-02-30",
        "1e400",
        "12e",
        "nginx:1.0",
        "1:60",
        ".",
        "+",
    ] {
        assert!(!needs_quotes(s), "{s:?} should stay plain");
    }
}

#[test]
fn recognises_base60_floats() {
    assert!(is_base60_float("1:20"));
    assert!(is_base60_float("-3:25:45.5"));
    assert!(is_base60_float("190:20:30"));
    assert!(!is_base60_float("1:60"));
    assert!(!is_base60_float("a:20"));
    assert!(!is_base60_float("1:"));
    assert!(!is_base60_float("120"));
}

#[test]
fn parses_timestamps_with_go_yaml_layouts() {
    let ts = |s: &str| timestamp::parse(s).map(|t| t.to_rfc3339_nano());
    assert_eq!(ts("2020-1-2").as_deref(), Some("2020-01-02T00:00:00Z"));
    assert_eq!(
        ts("2020-01-02T03:04:05.120+01:30").as_deref(),
        Some("2020-01-02T03:04:05.12+01:30")
    );
    assert_eq!(
        ts("2020-01-02t03:04:05-00:00").as_deref(),
        Some("2020-01-02T03:04:05Z")
    );
    assert_eq!(
        ts("2020-01-02 03:04:05.5").as_deref(),
        Some("2020-01-02T03:04:05.5Z")
    );
    assert_eq!(ts("2024-02-29").as_deref(), Some("2024-02-29T00:00:00Z"));
    for bad in [
        "2023-02-29",
        "2020-13-01",
        "2020-01-02T03:04:05",
        "2020-01-02 03:04:05Z",
        "20-01-02",
        "2020-01-02T24:00:00Z",
        "2020-01-02x",
    ] {
        assert_eq!(ts(bad), None, "{bad:?}");
    }
}
