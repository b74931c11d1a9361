//! Compose projects in the model: which files start a project and which are
//! pulled in by another.

use assay_model::{ComposeSettings, Model, SourceFile};
use assay_span::FileId;
use assay_yaml::Limits;

fn model(files: &[(&str, &str)], settings: &ComposeSettings) -> Model {
    let files = files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            SourceFile::parse(
                FileId(i as u32),
                (*path).to_owned(),
                text.as_bytes(),
                &Limits::default(),
            )
        })
        .collect();
    Model::build_with(files, settings)
}

#[test]
fn override_and_included_files_belong_to_their_project() {
    let m = model(
        &[
            (
                "app/compose.override.yaml",
                "services:\n  web:\n    privileged: true\n",
            ),
            (
                "app/compose.yaml",
                "include: [db/compose.yaml]\nservices:\n  web:\n    image: nginx:1.27\n",
            ),
            (
                "app/db/compose.yaml",
                "services:\n  db:\n    image: postgres:16\n",
            ),
            (
                "other/docker-compose.yml",
                "services:\n  cache:\n    image: redis:7\n",
            ),
        ],
        &ComposeSettings::default(),
    );
    let projects: Vec<(String, Vec<String>)> = m
        .compose
        .iter()
        .map(|p| {
            let mut services: Vec<String> =
                p.services().iter().map(|s| s.name().to_owned()).collect();
            services.sort();
            (p.name.clone(), services)
        })
        .collect();
    assert_eq!(
        projects,
        [
            ("app".to_owned(), vec!["db".to_owned(), "web".to_owned()]),
            ("other".to_owned(), vec!["cache".to_owned()]),
        ]
    );
    let web = m.compose[0].service("web").unwrap();
    assert_eq!(web.get("privileged").unwrap().at.file, FileId(0));
}

#[test]
fn explicit_file_lists_make_one_project() {
    let settings = ComposeSettings {
        projects: vec![vec!["base.yaml".to_owned(), "prod.yaml".to_owned()]],
        ..ComposeSettings::default()
    };
    let m = model(
        &[
            ("base.yaml", "services:\n  web:\n    image: nginx:1.27\n"),
            ("prod.yaml", "services:\n  web:\n    read_only: true\n"),
        ],
        &settings,
    );
    assert_eq!(
        m.compose.len(),
        1,
        "{:?}",
        m.compose.iter().map(|p| &p.files).collect::<Vec<_>>()
    );
    let web = m.compose[0].service("web").unwrap();
    assert_eq!(web.get("read_only").and_then(|v| v.as_bool()), Some(true));
}

#[test]
fn nothing_is_read_from_disk_by_default() {
    let m = model(
        &[(
            "compose.yaml",
            "include: [elsewhere.yaml]\nservices:\n  web:\n    image: nginx:1.27\n",
        )],
        &ComposeSettings::default(),
    );
    assert_eq!(m.files.len(), 1);
    assert_eq!(m.compose[0].errors.len(), 1);
}
