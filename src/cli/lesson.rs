//! `wirepad lesson check FILE…`: lesson files checked against their format
//! (src/lesson.rs), each mistake printed as `file:line:column: message`.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use wirepad::lesson;

#[derive(clap::Subcommand)]
pub enum LessonCommand {
    /// Check lesson files (and index.json files, which list lessons) against the lesson format.
    ///
    /// Prints each mistake as FILE:LINE:COLUMN: MESSAGE.
    /// Exit status: 0 when every file is good, 1 when one has a mistake, 2 when a file cannot be read.
    Check {
        /// Lesson files; a file named index.json is read as a list of lessons.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn run(command: LessonCommand) -> Result<i32> {
    let LessonCommand::Check { files } = command;
    let mut bad = 0;
    for file in &files {
        let problems = check_file(file)?;
        for p in &problems {
            println!("{}", p.display(&file.display().to_string()));
        }
        bad += usize::from(!problems.is_empty());
    }
    let n = files.len();
    eprintln!("{n} file{} checked, {bad} with mistakes", if n == 1 { "" } else { "s" });
    Ok(i32::from(bad > 0))
}

/// The mistakes in one file: a lesson, or an index whose files must exist beside it.
fn check_file(file: &Path) -> Result<Vec<lesson::Problem>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    if file.file_name().is_some_and(|n| n == "index.json") {
        let dir = file.parent().unwrap_or(Path::new("."));
        return Ok(match lesson::check_index(&text) {
            Ok(entries) => entries
                .iter()
                .filter(|e| !dir.join(&e.file).is_file())
                .map(|e| lesson::Problem {
                    line: 1,
                    column: 1,
                    message: format!(
                        "lesson {:?} is listed with file {:?}, which is not beside the index",
                        e.id, e.file
                    ),
                })
                .collect(),
            Err(problems) => problems,
        });
    }
    let id = file.file_stem().and_then(|s| s.to_str());
    Ok(lesson::check(&text, id).err().unwrap_or_default())
}
