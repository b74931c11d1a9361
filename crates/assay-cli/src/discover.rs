//! Finding input files and reading them: a parallel walk honouring
//! `.gitignore` and `.assayignore`, then a parallel read and parse, in a
//! deterministic (sorted) order.
//!
//! Nothing is dropped without a word: files left out because an ignore file
//! excludes them or because they are hidden are counted ([`Skipped`]); a
//! folder or file that cannot be read, and a symlink loop, become findings at
//! their own path with the operating system's reason; a path that yields no
//! file at all is listed in [`Inputs::empty`].

use assay_model::SourceFile;
use assay_span::{FileId, Pos, Span};
use assay_yaml::{Limits, LoadError, LoadErrorKind};
use ignore::WalkState;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::{Override, OverrideBuilder};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Extensions read when walking a folder (files named explicitly are always read).
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// The ignore file assay honours besides `.gitignore`.
pub(crate) const IGNORE_FILE: &str = ".assayignore";

/// Git's own folder: never a deliverable, never walked (not even with `--hidden`).
const GIT_DIR: &str = ".git";

pub(crate) struct DiscoverOptions<'a> {
    /// `--exclude` globs, relative to each folder walked.
    pub(crate) exclude: &'a [String],
    /// `exclude:` of the config file, relative to the config file's folder.
    pub(crate) config_exclude: Option<Arc<Gitignore>>,
    pub(crate) no_ignore: bool,
    /// Walk hidden files and folders (`.github/`, `.tekton/`) too.
    pub(crate) hidden: bool,
    pub(crate) stdin_filename: &'a str,
}

/// Why an input could not be read before its bytes were reached.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unreadable {
    /// Missing, permission denied, …: the operating system's reason.
    Io(String),
    /// A symlink pointing back to one of its own ancestor folders.
    Loop(String),
}

/// One input to read: a path, stdin, or a path already known to be unreadable.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Input {
    Path { display: String, path: PathBuf },
    Stdin,
    Unreadable { display: String, why: Unreadable },
}

/// YAML and JSON files the walk left out, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// Excluded by a `.gitignore` or `.assayignore` (`--no-ignore` includes them).
    pub(crate) ignored: usize,
    /// Folders excluded by an ignore file: not walked, so their files are
    /// not counted one by one.
    pub(crate) ignored_folders: usize,
    /// Inside a hidden folder or hidden themselves (`--hidden` includes them).
    pub(crate) hidden: usize,
}

pub(crate) struct Inputs {
    pub(crate) files: Vec<SourceFile>,
    /// Inputs that do not exist or could not be read, with the reason
    /// (`path (reason)`): they are findings too, and make the run exit 2.
    pub(crate) unreadable: Vec<String>,
    /// Paths given on the command line under which no file was found to check.
    pub(crate) empty: Vec<String>,
    pub(crate) skipped: Skipped,
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

/// What a walk found, not yet read.
pub(crate) struct Found {
    inputs: Vec<Input>,
    empty: Vec<String>,
    /// Counting what the walks left out takes a second walk per folder: it
    /// runs while the files are read.
    skip_counts: Vec<SkipCount>,
}

/// Find every input under `paths` (folders walked in parallel), sorted.
///
/// # Errors
/// An invalid `--exclude` glob.
pub(crate) fn find(paths: &[String], options: &DiscoverOptions<'_>) -> anyhow::Result<Found> {
    let mut inputs: Vec<Input> = Vec::new();
    let mut empty = Vec::new();
    let mut skip_counts = Vec::new();
    for raw in paths {
        if raw == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(raw);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                let before = inputs.len();
                skip_counts.extend(walk(&path, options, &mut inputs)?);
                if inputs.len() == before {
                    empty.push(display_path(&path));
                }
            }
            Ok(_) => inputs.push(Input::Path {
                display: display_path(&path),
                path,
            }),
            Err(e) => inputs.push(Input::Unreadable {
                display: display_path(&path),
                why: Unreadable::Io(io_reason(&e)),
            }),
        }
    }
    inputs.sort();
    inputs.dedup();
    Ok(Found {
        inputs,
        empty,
        skip_counts,
    })
}

/// Read and parse what [`find`] found, in parallel, keeping its order.
pub(crate) fn read_all(found: Found, options: &DiscoverOptions<'_>, limits: &Limits) -> Inputs {
    let (read, skipped): (Vec<(SourceFile, Option<String>)>, Skipped) = rayon::join(
        || read_largest_first(found.inputs, options, limits),
        || {
            found
                .skip_counts
                .iter()
                .map(SkipCount::count)
                .fold(Skipped::default(), |a, b| Skipped {
                    ignored: a.ignored + b.ignored,
                    ignored_folders: a.ignored_folders + b.ignored_folders,
                    hidden: a.hidden + b.hidden,
                })
        },
    );
    let mut files = Vec::with_capacity(read.len());
    let mut unreadable = Vec::new();
    for (file, failure) in read {
        if let Some(reason) = failure {
            unreadable.push(format!("{} ({reason})", file.path));
        }
        files.push(file);
    }
    Inputs {
        files,
        unreadable,
        empty: found.empty,
        skipped,
    }
}

/// Read and parse `inputs` in parallel, largest file first (so that no big
/// file is left to one core at the end while the other idles); the result
/// keeps the inputs' order, and file ids are positions in it.
fn read_largest_first(
    inputs: Vec<Input>,
    options: &DiscoverOptions<'_>,
    limits: &Limits,
) -> Vec<(SourceFile, Option<String>)> {
    let mut sized: Vec<(u64, usize, Input)> = inputs
        .into_par_iter()
        .enumerate()
        .map(|(idx, input)| {
            let size = match &input {
                Input::Path { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
                _ => 0,
            };
            (size, idx, input)
        })
        .collect();
    sized.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut read: Vec<(usize, (SourceFile, Option<String>))> = sized
        .into_par_iter()
        .with_max_len(1)
        .map(|(_, idx, input)| {
            let id = FileId(u32::try_from(idx).unwrap_or(u32::MAX));
            (idx, read(id, input, options, limits))
        })
        .collect();
    read.sort_by_key(|(idx, _)| *idx);
    read.into_iter().map(|(_, file)| file).collect()
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
    Ok(read_all(find(paths, options)?, options, limits))
}

/// The operating system's reason, without Rust's `(os error N)` suffix.
fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// An error of the walk, at the path it is about (not the walk's root).
fn walk_error(root: &Path, err: &ignore::Error) -> Input {
    let mut path = None;
    let mut current = err;
    loop {
        match current {
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err;
            }
            ignore::Error::WithPath { path: at, err } => {
                path = Some(at.clone());
                current = err;
            }
            ignore::Error::Loop { ancestor, child } => {
                return Input::Unreadable {
                    display: display_path(child),
                    why: Unreadable::Loop(format!(
                        "symlink loop: it leads back to its ancestor folder {}",
                        display_path(ancestor)
                    )),
                };
            }
            ignore::Error::Io(io) => {
                return Input::Unreadable {
                    display: display_path(path.as_deref().unwrap_or(root)),
                    why: Unreadable::Io(io_reason(io)),
                };
            }
            other => {
                return Input::Unreadable {
                    display: display_path(path.as_deref().unwrap_or(root)),
                    why: Unreadable::Io(other.to_string()),
                };
            }
        }
    }
}

/// The config file's `exclude:` globs, matched against absolute paths below
/// `folder` (the config file's folder), whatever path is passed to `check`.
///
/// # Errors
/// An invalid glob.
pub(crate) fn config_excludes(
    folder: &Path,
    globs: &[String],
) -> anyhow::Result<Option<Arc<Gitignore>>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let folder = std::path::absolute(folder)?;
    let mut builder = GitignoreBuilder::new(&folder);
    for glob in globs {
        builder.add_line(None, glob).map_err(|e| {
            anyhow::anyhow!("invalid glob `{glob}` in `exclude:` of the config: {e}")
        })?;
    }
    Ok(Some(Arc::new(builder.build()?)))
}

fn excluded_by_config(config_exclude: &Gitignore, path: &Path, is_dir: bool) -> bool {
    std::path::absolute(path)
        .is_ok_and(|absolute| config_exclude.matched(&absolute, is_dir).is_ignore())
}

fn exclude_overrides(root: &Path, exclude: &[String]) -> anyhow::Result<Override> {
    let mut overrides = OverrideBuilder::new(root);
    for glob in exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| anyhow::anyhow!("invalid --exclude glob `{glob}`: {e}"))?;
    }
    Ok(overrides.build()?)
}

/// Whether a counting walk enters a folder.
type EnterFolder = Box<dyn Fn(&Path) -> bool + Send + Sync>;

/// Which entries a walk enters: ignore files and hidden entries as asked,
/// plus, for counting walks, a folder filter (`false`: do not enter).
struct WalkFilter {
    honour_ignores: bool,
    skip_hidden: bool,
    enter_folder: Option<EnterFolder>,
}

/// A walker over `root`: symlinks followed (loops are errors), `.git` never
/// entered, `--exclude` and config `exclude:` globs applied.
fn walker(
    root: &Path,
    overrides: Override,
    config_exclude: Option<Arc<Gitignore>>,
    filter: WalkFilter,
) -> ignore::WalkParallel {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .overrides(overrides)
        .follow_links(true)
        .hidden(filter.skip_hidden)
        .require_git(false)
        .git_global(false)
        .git_ignore(filter.honour_ignores)
        .git_exclude(filter.honour_ignores)
        .ignore(false)
        .parents(filter.honour_ignores);
    let enter_folder = filter.enter_folder;
    builder.filter_entry(move |entry| {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        entry.file_name() != GIT_DIR
            && !config_exclude
                .as_deref()
                .is_some_and(|exclude| excluded_by_config(exclude, entry.path(), is_dir))
            && !(is_dir
                && enter_folder
                    .as_ref()
                    .is_some_and(|enter| !enter(entry.path())))
    });
    if filter.honour_ignores {
        builder.add_custom_ignore_filename(IGNORE_FILE);
    }
    builder.build_parallel()
}

/// Run `walker`, collecting what `keep` makes of each entry.
fn collect_walk<T: Send>(
    walker: ignore::WalkParallel,
    keep: impl Fn(Result<ignore::DirEntry, ignore::Error>) -> Option<T> + Sync,
) -> Vec<T> {
    let found = Mutex::new(Vec::new());
    walker.run(|| {
        let (found, keep) = (&found, &keep);
        Box::new(move |entry| {
            if let Some(item) = keep(entry)
                && let Ok(mut list) = found.lock()
            {
                list.push(item);
            }
            WalkState::Continue
        })
    });
    found.into_inner().unwrap_or_default()
}

/// Walk `root` as asked, adding its inputs; returns how to count what was
/// left out (nothing is with `--no-ignore --hidden`).
fn walk(
    root: &Path,
    options: &DiscoverOptions<'_>,
    inputs: &mut Vec<Input>,
) -> anyhow::Result<Option<SkipCount>> {
    /// An entry of the real walk: an input, or a folder it entered.
    enum Walked {
        Input(Input),
        Folder(PathBuf),
    }
    let overrides = exclude_overrides(root, options.exclude)?;
    let filter = WalkFilter {
        honour_ignores: !options.no_ignore,
        skip_hidden: !options.hidden,
        enter_folder: None,
    };
    let walked = collect_walk(
        walker(
            root,
            overrides.clone(),
            options.config_exclude.clone(),
            filter,
        ),
        |entry| match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_dir()) => {
                Some(Walked::Folder(entry.into_path()))
            }
            Ok(entry)
                if entry.file_type().is_some_and(|t| t.is_file())
                    && has_yaml_extension(entry.path()) =>
            {
                Some(Walked::Input(Input::Path {
                    display: display_path(entry.path()),
                    path: entry.into_path(),
                }))
            }
            Ok(_) => None,
            Err(err) => Some(Walked::Input(walk_error(root, &err))),
        },
    );
    let mut kept = BTreeSet::new();
    let mut folders = BTreeSet::new();
    for item in walked {
        match item {
            Walked::Folder(path) => {
                folders.insert(path);
            }
            Walked::Input(input) => {
                if let Input::Path { path, .. } = &input {
                    kept.insert(path.clone());
                }
                inputs.push(input);
            }
        }
    }
    Ok((!(options.no_ignore && options.hidden)).then(|| SkipCount {
        root: root.to_owned(),
        overrides,
        config_exclude: options.config_exclude.clone(),
        kept,
        folders: Arc::new(folders),
        hidden: options.hidden,
        no_ignore: options.no_ignore,
    }))
}

/// What one folder's walk kept and entered, to count what it left out.
struct SkipCount {
    root: PathBuf,
    overrides: Override,
    config_exclude: Option<Arc<Gitignore>>,
    kept: BTreeSet<PathBuf>,
    folders: Arc<BTreeSet<PathBuf>>,
    hidden: bool,
    no_ignore: bool,
}

impl SkipCount {
    /// Count what the real walk left out, never entering a big ignored
    /// folder (`node_modules/`, `target/`):
    /// - hidden: the YAML files a walk with hidden entries (and the same
    ///   ignore files) adds, i.e. what `--hidden` would check;
    /// - ignored: the YAML files a walk without ignore files adds in the
    ///   folders the real walk entered, and the folders it did not enter,
    ///   counted as folders without being walked.
    fn count(&self) -> Skipped {
        let (hidden, (ignored, ignored_folders)) = rayon::join(
            || if self.hidden { 0 } else { self.count_hidden() },
            || {
                if self.no_ignore {
                    (0, 0)
                } else {
                    self.count_ignored()
                }
            },
        );
        Skipped {
            ignored,
            ignored_folders,
            hidden,
        }
    }

    fn yaml_files_not_kept(&self, filter: WalkFilter) -> usize {
        let walker = walker(
            &self.root,
            self.overrides.clone(),
            self.config_exclude.clone(),
            filter,
        );
        collect_walk(walker, |entry| {
            entry.ok().filter(|e| {
                e.file_type().is_some_and(|t| t.is_file())
                    && has_yaml_extension(e.path())
                    && !self.kept.contains(e.path())
            })
        })
        .len()
    }

    fn count_hidden(&self) -> usize {
        self.yaml_files_not_kept(WalkFilter {
            honour_ignores: !self.no_ignore,
            skip_hidden: false,
            enter_folder: None,
        })
    }

    fn count_ignored(&self) -> (usize, usize) {
        let folders = Arc::clone(&self.folders);
        let not_entered = Arc::new(Mutex::new(0usize));
        let counter = Arc::clone(&not_entered);
        let files = self.yaml_files_not_kept(WalkFilter {
            honour_ignores: false,
            skip_hidden: !self.hidden,
            enter_folder: Some(Box::new(move |folder| {
                let entered = folders.contains(folder);
                if !entered && let Ok(mut n) = counter.lock() {
                    *n += 1;
                }
                entered
            })),
        });
        let folders = not_entered.lock().map_or(0, |n| *n);
        (files, folders)
    }
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

fn too_large(id: FileId, display: String, message: String, limits: &Limits) -> SourceFile {
    SourceFile::unreadable(
        id,
        display,
        LoadError {
            kind: LoadErrorKind::Limit {
                limit: "max-file-size",
                max: limits.max_file_bytes,
            },
            span: Span::point(Pos::new(1, 1)),
            message,
        },
    )
}

/// Read at most `max-file-size` bytes (plus one, to tell that there was
/// more): devices, pipes and stdin report no size, so the limit is enforced
/// while reading, never trusted to metadata. `Ok(None)` means too large.
fn read_bounded(
    reader: impl Read,
    size_hint: u64,
    limits: &Limits,
) -> std::io::Result<Option<Vec<u8>>> {
    let cap = limits.max_file_bytes.saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(size_hint.min(cap)).unwrap_or(0));
    reader.take(cap).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limits.max_file_bytes).then_some(bytes))
}

fn stopped_at_limit(limits: &Limits) -> String {
    format!(
        "the input is larger than the limit max-file-size = {} bytes (reading stopped there)",
        limits.max_file_bytes
    )
}

/// Read and parse one input; the second value is the reason it could not be
/// read at all (missing, permission denied, …), if so.
fn read(
    id: FileId,
    input: Input,
    options: &DiscoverOptions<'_>,
    limits: &Limits,
) -> (SourceFile, Option<String>) {
    match input {
        Input::Stdin => {
            let display = options.stdin_filename.to_owned();
            match read_bounded(std::io::stdin().lock(), 0, limits) {
                Ok(Some(bytes)) => (SourceFile::parse(id, display, &bytes, limits), None),
                Ok(None) => (
                    too_large(id, display, stopped_at_limit(limits), limits),
                    None,
                ),
                Err(e) => {
                    let reason = io_reason(&e);
                    (
                        io_error(id, display, format!("cannot read stdin: {reason}")),
                        Some(reason),
                    )
                }
            }
        }
        Input::Path { display, path } => {
            let opened = std::fs::File::open(&path).and_then(|file| {
                let meta = file.metadata()?;
                Ok((file, meta))
            });
            match opened {
                // A regular file's size is known: a huge one is never read.
                Ok((_, meta)) if meta.is_file() && meta.len() > limits.max_file_bytes => {
                    let message = format!(
                        "file size {} bytes exceeds the limit max-file-size = {}",
                        meta.len(),
                        limits.max_file_bytes
                    );
                    (too_large(id, display, message, limits), None)
                }
                Ok((file, meta)) => match read_bounded(file, meta.len(), limits) {
                    Ok(Some(bytes)) => (SourceFile::parse(id, display, &bytes, limits), None),
                    Ok(None) => (
                        too_large(id, display, stopped_at_limit(limits), limits),
                        None,
                    ),
                    Err(e) => {
                        let reason = io_reason(&e);
                        (
                            io_error(id, display, format!("cannot read the file: {reason}")),
                            Some(reason),
                        )
                    }
                },
                Err(e) => {
                    let reason = io_reason(&e);
                    (
                        io_error(id, display, format!("cannot read the file: {reason}")),
                        Some(reason),
                    )
                }
            }
        }
        Input::Unreadable {
            display,
            why: Unreadable::Io(reason),
        } => (
            io_error(id, display, format!("cannot read: {reason}")),
            Some(reason),
        ),
        Input::Unreadable {
            display,
            why: Unreadable::Loop(reason),
        } => (io_error(id, display, reason), None),
    }
}
