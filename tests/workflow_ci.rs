//! `ci/gitlab/mr-note.sh` against a fake GitLab API: the first run posts
//! one note, the next ones update it (never a second note). Skipped when
//! python3, curl or jq are missing.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn mr_note_is_posted_once_then_updated() {
    for tool in ["python3", "curl", "jq"] {
        if !have(tool) {
            eprintln!("skipped: {tool} is not installed");
            return;
        }
    }
    let dir = env!("CARGO_MANIFEST_DIR");
    let mut server = Command::new("python3")
        .arg(format!("{dir}/tests/ci/fake_gitlab.py"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(server.stdout.take().unwrap());
    let mut port = String::new();
    out.read_line(&mut port).unwrap();
    let t = tempfile::tempdir().unwrap();
    let note = |text: &str| {
        let f = t.path().join("diff.md");
        std::fs::write(&f, text).unwrap();
        let o = Command::new("sh")
            .arg(format!("{dir}/ci/gitlab/mr-note.sh"))
            .arg(&f)
            .env("GITOPSC_NOTE_TOKEN", "tok")
            .env(
                "CI_API_V4_URL",
                format!("http://127.0.0.1:{}/api/v4", port.trim()),
            )
            .env("CI_PROJECT_ID", "7")
            .env("CI_MERGE_REQUEST_IID", "3")
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(note("first diff\n").contains("posted"));
    assert!(note("second diff\n").contains("updated"));
    assert!(note("third diff\n").contains("updated"));
    // SIGTERM makes the server print its state.
    Command::new("kill")
        .arg(server.id().to_string())
        .status()
        .unwrap();
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let _ = server.wait();
    let v: serde_json::Value = serde_json::from_str(rest.trim()).unwrap();
    let notes = v["notes"].as_array().unwrap();
    assert_eq!(
        notes.len(),
        2,
        "the reviewer's note and one gitopsc note: {v}"
    );
    assert_eq!(
        notes[1]["body"], "<!-- gitopsc-diff -->\nthird diff\n",
        "{v}"
    );
    assert_eq!(
        v["log"],
        serde_json::json!(["GET", "GET", "POST", "GET", "PUT", "GET", "PUT"])
    );
}
