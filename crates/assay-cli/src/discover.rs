//! Finding input files and reading them: a parallel walk honouring
//! `.gitignore` and `.assayignore`, then a parallel read and parse, in a
//! deterministic (sorted) order.

use assay_model::SourceFile;
use assay_span::{FileId, Pos, Span};
use assay_yaml::{Limits, LoadError, LoadErrorKind};
use ignore::WalkState;
use ignore::overrides::OverrideBuilder;
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Extensions read when walking a folder (files named explicitly are always read).
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// The ignore file assay honours besides `.gitignore`.
pub(crate) const IGNORE_FILE: &str = ".assayignore";

pub(crate) struct DiscoverOptions<'a> {
    pub(crate) exclude: &'a [String],
    pub(crate) no_ignore: bool,
    pub(crate) stdin_filename: &'a str,
}

/// One input to read: a path, or stdin.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Input {
    Path { display: String, path: PathBuf },
    Stdin,
    Missing { display: String },
}

pub(crate) struct Inputs {
    pub(crate) files: Vec<SourceFile>,
    /// Paths given on the command line that do not exist.
    pub(crate) missing: Vec<String>,
}

fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

fn has_yaml_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Find every input under `paths`, then read and parse them in parallel.
///
/// # Errors
/// An invalid `--exclude` glob.
pub(crate) fn collect(
    paths: &[String],
    options: &DiscoverOptions<'_>,
    limits: &Limits,
) -> anyhow::Result<Inputs> {
    let mut inputs: Vec<Input> = Vec::new();
    for raw in paths {
        if raw == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(raw);
        if path.is_dir() {
            walk(&path, options, &mut inputs)?;
        } else if path.exists() {
            inputs.push(Input::Path {
                display: display_path(&path),
                path,
            });
        } else {
            inputs.push(Input::Missing {
                display: display_path(&path),
            });
        }
    }
    inputs.sort();
    inputs.dedup();
    let missing = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Missing { display } => Some(display.clone()),
            _ => None,
        })
        .collect();
    let files = inputs
        .into_par_iter()
        .enumerate()
        .map(|(idx, input)| {
            read(
                FileId(u32::try_from(idx).unwrap_or(u32::MAX)),
                input,
                options,
                limits,
            )
        })
        .collect();
    Ok(Inputs { files, missing })
}

fn walk(root: &Path, options: &DiscoverOptions<'_>, inputs: &mut Vec<Input>) -> anyhow::Result<()> {
    let mut overrides = OverrideBuilder::new(root);
    for glob in options.exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| anyhow::anyhow!("invalid --exclude glob `{glob}`: {e}"))?;
    }
    let overrides = overrides.build()?;
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .overrides(overrides)
        .require_git(false)
        .git_global(false)
        .git_ignore(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .ignore(false)
        .parents(!options.no_ignore);
    if !options.no_ignore {
        builder.add_custom_ignore_filename(IGNORE_FILE);
    }
    let found = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            let item = match entry {
                Ok(entry)
                    if entry.file_type().is_some_and(|t| t.is_file())
                        && has_yaml_extension(entry.path()) =>
                {
                    Some(Input::Path {
                        display: display_path(entry.path()),
                        path: entry.into_path(),
                    })
                }
                Ok(_) => None,
                Err(err) => Some(Input::Missing {
                    display: format!("{}: {err}", display_path(root)),
                }),
            };
            if let Some(item) = item
                && let Ok(mut list) = found.lock()
            {
                list.push(item);
            }
            WalkState::Continue
        })
    });
    inputs.extend(found.into_inner().unwrap_or_default());
    Ok(())
}

fn io_error(id: FileId, display: String, message: String) -> SourceFile {
    SourceFile::unreadable(
        id,
        display,
        LoadError {
            kind: LoadErrorKind::Io,
            span: Span::point(Pos::new(1, 1)),
            message,
        },
    )
}

fn too_large(id: FileId, display: String, size: u64, limits: &Limits) -> SourceFile {
    SourceFile::unreadable(
        id,
        display,
        LoadError {
            kind: LoadErrorKind::Limit {
                limit: "max-file-size",
                max: limits.max_file_bytes,
            },
            span: Span::point(Pos::new(1, 1)),
            message: format!(
                "file size {size} bytes exceeds the limit max-file-size = {}",
                limits.max_file_bytes
            ),
        },
    )
}

fn read(id: FileId, input: Input, options: &DiscoverOptions<'_>, limits: &Limits) -> SourceFile {
    match input {
        Input::Stdin => {
            let display = options.stdin_filename.to_owned();
            let mut bytes = Vec::new();
            let cap = limits.max_file_bytes.saturating_add(1);
            match std::io::stdin().lock().take(cap).read_to_end(&mut bytes) {
                Ok(n) if n as u64 > limits.max_file_bytes => {
                    too_large(id, display, n as u64, limits)
                }
                Ok(_) => SourceFile::parse(id, display, &bytes, limits),
                Err(e) => io_error(id, display, format!("cannot read stdin: {e}")),
            }
        }
        Input::Path { display, path } => {
            // Check the size before reading, so a huge file is never loaded.
            match std::fs::metadata(&path) {
                Ok(meta) if meta.len() > limits.max_file_bytes => {
                    too_large(id, display, meta.len(), limits)
                }
                Ok(_) => match std::fs::read(&path) {
                    Ok(bytes) => SourceFile::parse(id, display, &bytes, limits),
                    Err(e) => io_error(id, display, format!("cannot read the file: {e}")),
                },
                Err(e) => io_error(id, display, format!("cannot read the file: {e}")),
            }
        }
        Input::Missing { display } => io_error(id, display, "no such file or folder".to_owned()),
    }
}
