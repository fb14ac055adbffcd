//! A teacher's own lessons (`--lessons DIR`, repeatable), served beside the
//! built-in ones and read from disk on every request, so that a lesson edited
//! between two reloads of the page shows at once.
//!
//! `GET /lessons/index.json` is the built-in list with each folder's lessons
//! added (a folder's lesson replaces a built-in one of the same id; the
//! first folder given wins). `GET /lessons/ID.json` answers from the first
//! folder that has `ID.json`, else from the built-in files. A lesson with
//! mistakes is answered `422` with `{"file", "errors": ["ID.json:L:C: …"]}`,
//! the same lines `wirepad lesson check` prints. Only files named `ID.json`
//! (lower-case letters, digits, hyphens) directly inside a folder, that stay
//! inside it once links are followed, are ever read.

use super::assets;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wirepad::lesson;

/// The folders, each resolved to its real path once at start.
pub struct Lessons {
    dirs: Vec<PathBuf>,
}

impl Lessons {
    /// Resolves each folder; one that does not exist is an error at start.
    pub fn new(dirs: &[PathBuf]) -> anyhow::Result<Arc<Lessons>> {
        let dirs = dirs
            .iter()
            .map(|d| {
                let real =
                    d.canonicalize().map_err(|e| anyhow::anyhow!("--lessons: cannot open {}: {e}", d.display()))?;
                anyhow::ensure!(real.is_dir(), "--lessons: {} is not a folder", d.display());
                Ok(real)
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Arc::new(Lessons { dirs }))
    }

    /// What `wirepad serve` prints at start: each folder's lessons, and the
    /// files it will not serve, with why.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for dir in &self.dirs {
            let (ids, ignored) = scan(dir);
            lines.push(format!(
                "lessons from {}: {}",
                dir.display(),
                if ids.is_empty() { "none yet".into() } else { ids.join(", ") }
            ));
            for name in ignored {
                lines.push(format!(
                    "  {name} is not served: a lesson's file is ID.json, ID in lower-case letters, digits and hyphens"
                ));
            }
        }
        lines
    }

    /// The first folder's `ID.json` when one has it, inside that folder.
    fn find(&self, id: &str) -> Option<PathBuf> {
        self.dirs.iter().find_map(|dir| {
            let path = dir.join(format!("{id}.json")).canonicalize().ok()?;
            (path.starts_with(dir) && path.is_file()).then_some(path)
        })
    }
}

/// The id a file name stands for, when it is a lesson's (`ID.json`).
fn lesson_id(name: &str) -> Option<&str> {
    let id = name.strip_suffix(".json")?;
    let ok = !id.is_empty()
        && id != "index"
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then_some(id)
}

/// A folder's lesson ids, sorted, and the `.json` files that are not lessons.
fn scan(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut ids = Vec::new();
    let mut ignored = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        match lesson_id(&name) {
            Some(id) => ids.push(id.to_string()),
            None if name.ends_with(".json") && name != "index.json" => ignored.push(name),
            None => {}
        }
    }
    ids.sort();
    ignored.sort();
    (ids, ignored)
}

/// Reads a lesson file, at most [`lesson::MAX_LESSON`] bytes of it.
fn read(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)?.take(lesson::MAX_LESSON as u64 + 1).read_to_string(&mut text)?;
    Ok(text)
}

/// `GET /lessons/index.json`.
pub async fn index(State(lessons): State<Arc<Lessons>>) -> Response {
    let built_in = assets::get("lessons/index.json")
        .and_then(|bytes| lesson::check_index(std::str::from_utf8(&bytes).ok()?).ok())
        .unwrap_or_default();
    let list = tokio::task::spawn_blocking(move || {
        let mut list = built_in;
        let mut seen = std::collections::HashSet::new();
        for dir in &lessons.dirs {
            for id in scan(dir).0 {
                if !seen.insert(id.clone()) {
                    continue; // an earlier folder has it
                }
                let file = format!("{id}.json");
                let title = match lessons.find(&id).map(|p| read(&p)) {
                    Some(Ok(text)) => match lesson::check(&text, Some(&id)) {
                        Ok(l) => l.title,
                        Err(_) => format!("{id} (has mistakes)"),
                    },
                    _ => continue,
                };
                let entry = lesson::Entry { id: id.clone(), title, file };
                match list.iter_mut().find(|e| e.id == id) {
                    Some(built_in) => *built_in = entry,
                    None => list.push(entry),
                }
            }
        }
        list
    })
    .await
    .unwrap_or_default();
    ([(header::CACHE_CONTROL, "no-cache")], Json(list)).into_response()
}

/// `GET /lessons/FILE`: a folder's lesson, checked, or a built-in file.
pub async fn file(State(lessons): State<Arc<Lessons>>, UrlPath(name): UrlPath<String>, uri: Uri) -> Response {
    let Some(id) = lesson_id(&name).map(str::to_string) else {
        return assets::serve(uri).await;
    };
    let found = tokio::task::spawn_blocking(move || {
        let path = lessons.find(&id)?;
        Some(read(&path).map(|text| (lesson::check(&text, Some(&id)).err(), text)))
    })
    .await
    .ok()
    .flatten();
    match found {
        None => assets::serve(uri).await,
        Some(Err(e)) => {
            (StatusCode::INTERNAL_SERVER_ERROR, format!("wirepad: cannot read {name}: {e}\n")).into_response()
        }
        Some(Ok((None, text))) => {
            ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-cache")], text).into_response()
        }
        Some(Ok((Some(problems), _))) => {
            let errors: Vec<String> = problems.iter().map(|p| p.display(&name)).collect();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CACHE_CONTROL, "no-cache")],
                Json(json!({"file": name, "errors": errors})),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_lesson_names_are_ids() {
        assert_eq!(lesson_id("my-lesson-2.json"), Some("my-lesson-2"));
        for bad in [
            "index.json",
            ".json",
            "../x.json",
            "x/y.json",
            "X.json",
            "a b.json",
            "x.json.bak",
            "x",
            "..%2fx.json",
            "x.JSON",
        ] {
            assert_eq!(lesson_id(bad), None, "{bad}");
        }
    }
}
