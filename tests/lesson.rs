//! `wirepad lesson check` as a teacher runs it: every shipped lesson passes,
//! and each kind of mistake is printed as `file:line:column: message`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn check(files: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wirepad")).arg("lesson").arg("check").args(files).output().expect("wirepad runs")
}

/// A fresh folder under the target directory for this test's files.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_shipped_lesson_and_the_index_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/lessons");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() > 10 && files.iter().any(|f| f.ends_with("index.json")), "{files:?}");
    let out = check(&files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), format!("{} files checked, 0 with mistakes\n", files.len()));
}

/// One broken lesson per kind of mistake the issue names, each with where it is.
const BROKEN: &[(&str, &str, &str)] = &[
    (
        "unknown-field",
        r#"{"txt": "t"}"#,
        "3:8: unknown field `txt`, expected one of `text`, `request`, `response`, `look`, `predict`, `exercise`",
    ),
    (
        "exercise-part",
        r#"{"text": "t", "exercise": "bodies"}"#,
        r#"3:37: "bodies" is not one of "all", "start-line", "headers", "framing""#,
    ),
    (
        "prediction-kind",
        r#"{"text": "t", "predict": {"ask": "bytes"}}"#,
        r#"3:43: "bytes" is not one of "status", "chunks", "messages""#,
    ),
    (
        "wire",
        r#"{"text": "t", "look": [{"wire": "resp", "part": "status-code"}]}"#,
        r#"3:40: "resp" is not one of "request", "response""#,
    ),
    (
        "no-target",
        r#"{"text": "t", "request": {"text": "GET / HTTP/1.1\r\n\r\n"}}"#,
        r#"3:62: a request needs a "target" (a host name or address) or "practice": true"#,
    ),
    (
        "wrong-type",
        r#"{"text": "t", "request": {"target": "example.org", "port": "80", "text": "x"}}"#,
        r#"3:65: invalid type: string "80", expected u16"#,
    ),
];

#[test]
fn each_mistake_is_printed_with_its_position_and_exit_1() {
    let dir = folder("broken-lessons");
    let mut files = Vec::new();
    for (id, step, _) in BROKEN {
        let file = dir.join(format!("{id}.json"));
        std::fs::write(&file, format!("{{\"id\": \"{id}\", \"title\": \"T\",\n \"steps\": [\n  {step}\n ]}}\n"))
            .unwrap();
        files.push(file);
    }
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"id": "good", "title": "T", "steps": [{"text": "t", "request": {"practice": true, "text": "GET / HTTP/1.1\r\n\r\n"}}]}"#).unwrap();
    files.push(good);
    let out = check(&files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
    let want: String =
        BROKEN.iter().map(|(id, _, at)| format!("{}:{at}\n", dir.join(format!("{id}.json")).display())).collect();
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "7 files checked, 6 with mistakes\n");
}

#[test]
fn an_index_must_list_files_that_exist_and_unreadable_files_exit_2() {
    let dir = folder("lesson-index");
    let index = dir.join("index.json");
    std::fs::write(&index, r#"[{"id": "gone", "title": "T", "file": "gone.json"}]"#).unwrap();
    let out = check(&[&index]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with(
        "index.json:1:1: lesson \"gone\" is listed with file \"gone.json\", which is not beside the index\n"
    ));
    let out = check(&[&dir.join("missing.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("wirepad: cannot read "));
}
