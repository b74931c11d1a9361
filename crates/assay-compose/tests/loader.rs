//! The loader against in-memory projects: every syntax the Compose
//! Specification allows, merge rules, `extends`, `include`, interpolation, and
//! the span of each resolved value (provenance).

use assay_compose::{ErrorKind, LoadOptions, Project, Sources, load_project};
use assay_span::{FileId, FileSpan};
use assay_yaml::{Limits, Tree};
use std::collections::BTreeMap;

/// Files held in memory, parsed on first use.
#[derive(Default)]
struct Memory {
    texts: BTreeMap<String, String>,
    loaded: Vec<(String, Tree)>,
}

impl Memory {
    fn new(files: &[(&str, &str)]) -> Self {
        Self {
            texts: files
                .iter()
                .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
                .collect(),
            loaded: Vec::new(),
        }
    }

    fn path(&self, file: FileId) -> &str {
        &self.loaded[file.0 as usize].0
    }
}

impl Sources for Memory {
    fn yaml(&mut self, path: &str) -> Result<FileId, String> {
        if let Some(i) = self.loaded.iter().position(|(p, _)| p == path) {
            return Ok(FileId(i as u32));
        }
        let text = self.texts.get(path).ok_or("no such file")?;
        let loaded = assay_yaml::load(text.as_bytes(), &Limits::default());
        self.loaded.push((path.to_owned(), loaded.tree));
        Ok(FileId(self.loaded.len() as u32 - 1))
    }

    fn tree(&self, file: FileId) -> Option<&Tree> {
        self.loaded.get(file.0 as usize).map(|(_, t)| t)
    }

    fn text(&mut self, path: &str) -> Option<String> {
        self.texts.get(path).cloned()
    }
}

fn load(files: &[(&str, &str)], paths: &[&str]) -> (Project, Memory) {
    let mut memory = Memory::new(files);
    let paths: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
    let project = load_project(&mut memory, &paths, &LoadOptions::default());
    (project, memory)
}

/// `path:line:col` of a span.
fn loc(memory: &Memory, at: FileSpan) -> String {
    format!(
        "{}:{}:{}",
        memory.path(at.file),
        at.span.start.line,
        at.span.start.col
    )
}

fn errors(project: &Project, memory: &Memory) -> Vec<String> {
    project
        .errors
        .iter()
        .map(|e| format!("{} {}", loc(memory, e.at), e.message))
        .collect()
}

#[test]
fn override_file_wins_and_keeps_its_span() {
    let (project, memory) = load(
        &[
            (
                "app/compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    ports: [\"5432:5432\"]\n    environment:\n      A: \"1\"\n",
            ),
            (
                "app/compose.override.yaml",
                "services:\n  db:\n    privileged: true\n    ports: [\"127.0.0.1:6432:5432\"]\n    environment:\n      - B=2\n",
            ),
        ],
        &["app/compose.yaml", "app/compose.override.yaml"],
    );
    assert!(project.errors.is_empty(), "{:?}", errors(&project, &memory));
    assert_eq!(project.name, "app");
    let db = project.service("db").unwrap();
    let privileged = db.get("privileged").unwrap();
    assert_eq!(
        loc(&memory, privileged.at),
        "app/compose.override.yaml:3:17"
    );
    let ports: Vec<String> = db.ports().iter().map(|p| loc(&memory, p.at)).collect();
    assert_eq!(
        ports,
        ["app/compose.yaml:4:13", "app/compose.override.yaml:4:13"]
    );
    let env: Vec<(&str, Option<&str>)> =
        db.environment().iter().map(|e| (e.name, e.value)).collect();
    assert_eq!(env, [("A", Some("1")), ("B", Some("2"))]);
    assert_eq!(
        loc(&memory, db.environment()[0].at),
        "app/compose.yaml:6:10"
    );
}

#[test]
fn reset_and_override_tags() {
    let (project, _) = load(
        &[
            (
                "compose.yaml",
                "services:\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n    cap_add: [NET_ADMIN]\n    command: [a, b]\n",
            ),
            (
                "compose.override.yaml",
                "services:\n  web:\n    ports: !reset []\n    cap_add: !override [CHOWN]\n    command: c\n",
            ),
        ],
        &["compose.yaml", "compose.override.yaml"],
    );
    let web = project.service("web").unwrap();
    assert!(web.get("ports").is_none());
    let caps: Vec<_> = web
        .list("cap_add")
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert_eq!(caps, ["CHOWN"]);
    assert_eq!(web.get("command").and_then(|c| c.as_str()), Some("c"));
}

#[test]
fn unique_entries_replace_earlier_ones() {
    let (project, _) = load(
        &[
            (
                "compose.yaml",
                "services:\n  web:\n    image: nginx:1.27\n    volumes: [\"va:/data\", \"vb:/logs\"]\n    environment: [X=1]\n",
            ),
            (
                "compose.override.yaml",
                "services:\n  web:\n    volumes: [\"vc:/data\"]\n    environment: {X: \"2\"}\n",
            ),
        ],
        &["compose.yaml", "compose.override.yaml"],
    );
    let web = project.service("web").unwrap();
    let sources: Vec<String> = web
        .volumes()
        .iter()
        .map(|v| v.spec.source.clone())
        .collect();
    assert_eq!(sources, ["vc", "vb"]);
    let env: Vec<_> = web.environment().iter().map(|e| e.value).collect();
    assert_eq!(env, [Some("2")]);
}

#[test]
fn anchors_merge_keys_and_extension_fields_keep_the_anchor_span() {
    let (project, memory) = load(
        &[(
            "compose.yaml",
            "x-hardening: &hardening\n  privileged: true\n  read_only: true\nservices:\n  web:\n    <<: *hardening\n    image: nginx:1.27\n    read_only: false\n",
        )],
        &["compose.yaml"],
    );
    assert!(project.errors.is_empty(), "{:?}", errors(&project, &memory));
    let web = project.service("web").unwrap();
    assert_eq!(
        loc(&memory, web.get("privileged").unwrap().at),
        "compose.yaml:2:15"
    );
    assert_eq!(web.get("read_only").and_then(|r| r.as_bool()), Some(false));
    assert!(project.model.get("x-hardening").is_some());
}

#[test]
fn extends_same_file_other_file_and_cycles() {
    let (project, memory) = load(
        &[
            (
                "p/compose.yaml",
                "services:\n  base:\n    image: busybox:1.36\n    user: root\n  web:\n    extends: base\n    command: run\n  api:\n    extends:\n      file: common/base.yaml\n      service: hardened\n  a:\n    extends: b\n    image: x:1\n  b:\n    extends: a\n    image: y:1\n",
            ),
            (
                "p/common/base.yaml",
                "services:\n  hardened:\n    image: app:1.0\n    privileged: true\n",
            ),
        ],
        &["p/compose.yaml"],
    );
    let web = project.service("web").unwrap();
    assert_eq!(
        web.get("image").and_then(|i| i.as_str()),
        Some("busybox:1.36")
    );
    assert_eq!(
        loc(&memory, web.get("user").unwrap().at),
        "p/compose.yaml:4:11"
    );
    assert!(web.get("extends").is_none());
    let api = project.service("api").unwrap();
    assert_eq!(
        loc(&memory, api.get("privileged").unwrap().at),
        "p/common/base.yaml:4:17"
    );
    let errs = errors(&project, &memory);
    assert!(errs.iter().any(|e| e.contains("extends cycle")), "{errs:?}");
    assert!(
        project.errors.iter().all(|e| e.kind == ErrorKind::Cycle),
        "{errs:?}"
    );
}

#[test]
fn include_adds_services_and_a_missing_file_is_located() {
    let (project, memory) = load(
        &[
            (
                "compose.yaml",
                "include:\n  - db/compose.yaml\n  - path: missing.yaml\nservices:\n  web:\n    image: nginx:1.27\n",
            ),
            (
                "db/compose.yaml",
                "services:\n  db:\n    image: postgres:16\n    privileged: true\n",
            ),
        ],
        &["compose.yaml"],
    );
    let db = project.service("db").unwrap();
    assert_eq!(
        loc(&memory, db.get("privileged").unwrap().at),
        "db/compose.yaml:4:17"
    );
    assert_eq!(
        errors(&project, &memory),
        ["compose.yaml:3:11 included file missing.yaml cannot be read"]
    );
}

#[test]
fn include_cycle_is_reported() {
    let (project, memory) = load(
        &[
            (
                "compose.yaml",
                "include: [other.yaml]\nservices:\n  web:\n    image: nginx:1.27\n",
            ),
            (
                "other.yaml",
                "include: [compose.yaml]\nservices:\n  db:\n    image: postgres:16\n",
            ),
        ],
        &["compose.yaml"],
    );
    let errs = errors(&project, &memory);
    assert!(
        errs.iter()
            .any(|e| e.starts_with("other.yaml:1:11 include cycle")),
        "{errs:?}"
    );
}

#[test]
fn interpolation_from_dotenv_and_a_missing_required_variable() {
    let (project, memory) = load(
        &[
            ("s/.env", "TAG=16\nPORT=5432\n"),
            (
                "s/compose.yaml",
                "services:\n  db:\n    image: postgres:${TAG}\n    ports: [\"${PORT}:5432\"]\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}\n      PRICE: $$5\n      HOME_DIR: ${HOME:-/home/app}\n",
            ),
        ],
        &["s/compose.yaml"],
    );
    let db = project.service("db").unwrap();
    assert_eq!(db.image().and_then(|i| i.as_str()), Some("postgres:16"));
    assert_eq!(db.ports()[0].spec.published.as_deref(), Some("5432"));
    let env: Vec<_> = db.environment().iter().map(|e| (e.name, e.value)).collect();
    assert!(env.contains(&("PRICE", Some("$5"))));
    // The process environment is not read without `--use-env`.
    assert!(env.contains(&("HOME_DIR", Some("/home/app"))));
    assert_eq!(
        errors(&project, &memory),
        ["s/compose.yaml:6:26 required variable DB_PASSWORD is missing a value: set DB_PASSWORD"]
    );
}

#[test]
fn use_env_and_env_file_options() {
    let mut memory = Memory::new(&[
        (
            "compose.yaml",
            "services:\n  web:\n    image: \"nginx:${TAG:-latest}\"\n",
        ),
        (".env", "TAG=1.0\n"),
        ("prod.env", "TAG=2.0\n"),
    ]);
    let paths = vec!["compose.yaml".to_owned()];
    let tag = |project: &Project| {
        project
            .service("web")
            .unwrap()
            .image()
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    };
    let project = load_project(&mut memory, &paths, &LoadOptions::default());
    assert_eq!(tag(&project), "nginx:1.0");
    let options = LoadOptions {
        env_files: vec!["prod.env".to_owned()],
        ..LoadOptions::default()
    };
    assert_eq!(
        tag(&load_project(&mut memory, &paths, &options)),
        "nginx:2.0"
    );
    let options = LoadOptions {
        process_env: Some([("TAG".to_owned(), "3.0".to_owned())].into_iter().collect()),
        ..LoadOptions::default()
    };
    assert_eq!(
        tag(&load_project(&mut memory, &paths, &options)),
        "nginx:3.0"
    );
}

#[test]
fn invalid_files_give_located_errors() {
    let (project, memory) = load(
        &[(
            "compose.yaml",
            "services:\n  web:\n    - image: nginx\n  api:\n    image: app:1\n    ports: [\"80:80:80:80\"]\n    volumes: [\"vol:/b:ro:rw\"]\n    priviliged: true\n  worker: {}\nfrobnicate: 1\n",
        )],
        &["compose.yaml"],
    );
    assert_eq!(
        errors(&project, &memory),
        [
            "compose.yaml:3:5 service `web` must be a mapping of settings",
            "compose.yaml:6:13 service `api`: invalid port \"80:80:80:80\": \"80:80\" is not an IP address",
            "compose.yaml:7:15 service `api`: invalid volume specification \"vol:/b:ro:rw\": too many colons",
            "compose.yaml:8:5 service `api` has an unknown key `priviliged`",
            "compose.yaml:9:3 service `worker` has neither an `image` nor a `build` section",
            "compose.yaml:10:1 unknown top-level key `frobnicate` (the Compose Specification allows version, name, services, networks, volumes, secrets, configs, include, models and `x-` extensions)",
        ]
    );
}

#[test]
fn long_and_short_syntaxes_read_alike() {
    let (project, memory) = load(
        &[(
            "compose.yaml",
            "services:\n  a:\n    image: x:1\n    ports:\n      - target: 5432\n        published: \"5432\"\n        host_ip: 127.0.0.1\n    volumes:\n      - type: bind\n        source: /var/run/docker.sock\n        target: /sock\n        read_only: true\n    depends_on:\n      b:\n        condition: service_healthy\n    deploy:\n      resources:\n        limits: {memory: 64M, cpus: \"0.5\", pids: 100}\n  b:\n    image: x:1\n    ports: [\"127.0.0.1:5432:5432\"]\n    volumes: [\"/var/run/docker.sock:/sock:ro\"]\n    depends_on: [a]\n    mem_limit: 64m\n    cpus: 0.5\n    pids_limit: 100\n",
        )],
        &["compose.yaml"],
    );
    assert!(project.errors.is_empty(), "{:?}", errors(&project, &memory));
    let (a, b) = (project.service("a").unwrap(), project.service("b").unwrap());
    assert_eq!(a.ports()[0].spec, b.ports()[0].spec);
    assert_eq!(a.volumes()[0].spec.source, b.volumes()[0].spec.source);
    assert_eq!(a.volumes()[0].spec.read_only, b.volumes()[0].spec.read_only);
    assert_eq!(
        a.memory_limit().unwrap().form,
        "deploy.resources.limits.memory"
    );
    assert_eq!(b.memory_limit().unwrap().form, "mem_limit");
    assert_eq!(a.pids_limit().unwrap().node.as_str(), Some("100"));
    assert_eq!(b.cpu_limit().unwrap().form, "cpus");
    assert_eq!(
        a.depends_on()[0].condition.and_then(|c| c.as_str()),
        Some("service_healthy")
    );
    assert!(b.depends_on()[0].condition.is_none());
    assert!(a.uses_deploy_limits() && !b.uses_deploy_limits());
}

#[test]
fn profiles_are_described() {
    let (project, _) = load(
        &[(
            "compose.yaml",
            "services:\n  debug:\n    image: busybox:1.36\n    profiles: [debug, tools]\n",
        )],
        &["compose.yaml"],
    );
    assert_eq!(
        project.service("debug").unwrap().describe(),
        "service \"debug\" (profiles: debug, tools)"
    );
}

#[test]
fn alias_bombs_stop_at_the_budget() {
    let mut text = String::from("x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
    for (i, prev) in ["b", "c", "d", "e", "f"]
        .iter()
        .zip(["a", "b", "c", "d", "e"])
    {
        text.push_str(&format!("x-{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    text.push_str("services:\n  web:\n    image: nginx:1.27\n");
    let (project, memory) = load(&[("compose.yaml", &text)], &["compose.yaml"]);
    let errs = errors(&project, &memory);
    assert!(
        errs.iter().any(|e| e.contains("more than 100000 nodes")),
        "{errs:?}"
    );
}
