//! Compose projects of a run: which compose files start a project, and the
//! files they pull in (`-f` lists, `compose.override.yaml`, `include`,
//! `extends`), read from the run's files and, when allowed, from the disk.

use crate::{DocClass, DocInfo, SourceFile};
use assay_compose::{LoadOptions, Project, Sources, join, load_project, override_name};
use assay_span::FileId;
use assay_yaml::{Limits, LoadError, LoadErrorKind, Tree};

/// How compose projects are found and loaded.
#[derive(Clone, Debug, Default)]
pub struct ComposeSettings {
    /// Read files the input does not contain (overrides, `include`, `extends`,
    /// `.env`) from the disk. Off for in-memory input, so results depend only
    /// on what was given.
    pub read_disk: bool,
    /// Projects named explicitly, `-f a.yaml -f b.yaml`: one list per project.
    pub projects: Vec<Vec<String>>,
    pub options: LoadOptions,
    pub limits: Limits,
}

struct RunSources<'f> {
    files: &'f mut Vec<SourceFile>,
    read_disk: bool,
    limits: &'f Limits,
}

fn normalized(path: &str) -> String {
    join("", path)
}

impl RunSources<'_> {
    fn find(&self, path: &str) -> Option<FileId> {
        let wanted = normalized(path);
        self.files
            .iter()
            .find(|f| normalized(&f.path) == wanted)
            .map(|f| f.id)
    }

    fn exists(&self, path: &str) -> bool {
        self.find(path).is_some() || (self.read_disk && std::path::Path::new(path).is_file())
    }
}

impl Sources for RunSources<'_> {
    fn yaml(&mut self, path: &str) -> Result<FileId, String> {
        if let Some(id) = self.find(path) {
            return Ok(id);
        }
        if !self.read_disk {
            return Err("not among the checked files".to_owned());
        }
        let id = FileId(u32::try_from(self.files.len()).map_err(|_| "too many files")?);
        let meta = std::fs::metadata(path).map_err(|e| e.kind().to_string())?;
        if meta.len() > self.limits.max_file_bytes {
            let error = LoadError {
                kind: LoadErrorKind::Limit {
                    limit: "max-file-size",
                    max: self.limits.max_file_bytes,
                },
                span: assay_span::Span::point(assay_span::Pos::new(1, 1)),
                message: format!(
                    "file size {} bytes exceeds the limit max-file-size = {}",
                    meta.len(),
                    self.limits.max_file_bytes
                ),
            };
            self.files
                .push(SourceFile::unreadable(id, path.to_owned(), error));
            return Ok(id);
        }
        let bytes = std::fs::read(path).map_err(|e| e.kind().to_string())?;
        self.files
            .push(SourceFile::parse(id, path.to_owned(), &bytes, self.limits));
        Ok(id)
    }

    fn tree(&self, file: FileId) -> Option<&Tree> {
        self.files.get(file.0 as usize).map(|f| &f.tree)
    }

    fn text(&mut self, path: &str) -> Option<String> {
        if !self.read_disk {
            return None;
        }
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > self.limits.max_file_bytes {
            return None;
        }
        std::fs::read_to_string(path).ok()
    }
}

/// Load every compose project of the run. Files pulled in by another project
/// (its override, an `include`, an `extends` base) are checked through that
/// project only, so a finding is not reported once per way of reaching it.
pub(crate) fn load(
    files: &mut Vec<SourceFile>,
    documents: &[DocInfo],
    settings: &ComposeSettings,
) -> Vec<Project> {
    let mut candidates: Vec<Vec<String>> = settings.projects.clone();
    let compose_files: Vec<String> = documents
        .iter()
        .filter(|d| d.class == DocClass::Compose && d.index == 0)
        .filter_map(|d| files.get(d.file.0 as usize).map(|f| f.path.clone()))
        .collect();
    let mut sources = RunSources {
        files,
        read_disk: settings.read_disk,
        limits: &settings.limits,
    };
    let explicit: Vec<String> = candidates.iter().flatten().map(|p| normalized(p)).collect();
    for path in compose_files {
        if explicit.contains(&normalized(&path)) {
            continue;
        }
        let mut paths = vec![path.clone()];
        if let Some(over) = override_name(&path).filter(|o| sources.exists(o)) {
            paths.push(over);
        }
        candidates.push(paths);
    }
    let mut projects: Vec<Project> = candidates
        .iter()
        .map(|paths| load_project(&mut sources, paths, &settings.options))
        .collect();
    let mains: Vec<Option<FileId>> = candidates
        .iter()
        .map(|paths| paths.first().and_then(|p| sources.find(p)))
        .collect();
    let keep: Vec<bool> = (0..projects.len())
        .map(|i| {
            let Some(main) = mains.get(i).copied().flatten() else {
                return true;
            };
            !projects.iter().enumerate().any(|(j, other)| {
                j != i
                    && other.files.contains(&main)
                    && mains
                        .get(j)
                        .copied()
                        .flatten()
                        .is_some_and(|m| !projects.get(i).is_some_and(|p| p.files.contains(&m)))
            })
        })
        .collect();
    let mut index = 0;
    projects.retain(|_| {
        let k = keep.get(index).copied().unwrap_or(true);
        index += 1;
        k
    });
    projects
}
