#![no_main]

//! A compose project from arbitrary bytes: the bytes before the first NUL are
//! `compose.yaml`, the rest its `.env`. Loading never panics, every error is
//! located in a file the project read, and two loads print the same config.

use assay_compose::{ConfigContext, LoadOptions, Sources, config_json, load_project};
use assay_span::FileId;
use assay_yaml::{Limits, Tree};
use libfuzzer_sys::fuzz_target;

struct Memory<'a> {
    compose: &'a [u8],
    dotenv: &'a [u8],
    tree: Option<Tree>,
}

impl Sources for Memory<'_> {
    fn yaml(&mut self, path: &str) -> Result<FileId, String> {
        if path != "compose.yaml" {
            return Err("no such file".to_owned());
        }
        if self.tree.is_none() {
            self.tree = Some(assay_yaml::load(self.compose, &Limits::default()).tree);
        }
        Ok(FileId(0))
    }
    fn tree(&self, _: FileId) -> Option<&Tree> {
        self.tree.as_ref()
    }
    fn text(&mut self, path: &str) -> Option<String> {
        (path == ".env").then(|| String::from_utf8_lossy(self.dotenv).into_owned())
    }
}

fuzz_target!(|data: &[u8]| {
    let (compose, dotenv) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let load = || {
        let mut sources = Memory {
            compose,
            dotenv,
            tree: None,
        };
        let project = load_project(&mut sources, &["compose.yaml".to_owned()], &LoadOptions::default());
        for error in &project.errors {
            assert_eq!(error.at.file, FileId(0), "{error:?}");
        }
        let no_files = |_: &str| None;
        let context = ConfigContext {
            workdir: "/project",
            home: "/home/user",
            profiles: &[],
            read: &no_files,
        };
        format!("{:?}", config_json(&project, &context))
    };
    assert_eq!(load(), load());
});
