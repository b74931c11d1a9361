//! Any input, however broken, loads without a panic and with sorted, located
//! errors: random compose-shaped text and random interpolation templates.

use assay_compose::{Environment, LoadOptions, Sources, interpolate, load_project};
use assay_span::FileId;
use assay_yaml::{Limits, Tree};
use proptest::prelude::*;

struct One(String, Option<Tree>);

impl Sources for One {
    fn yaml(&mut self, path: &str) -> Result<FileId, String> {
        if path != "compose.yaml" {
            return Err("no such file".to_owned());
        }
        if self.1.is_none() {
            self.1 = Some(assay_yaml::load(self.0.as_bytes(), &Limits::default()).tree);
        }
        Ok(FileId(0))
    }
    fn tree(&self, _: FileId) -> Option<&Tree> {
        self.1.as_ref()
    }
    fn text(&mut self, _: &str) -> Option<String> {
        None
    }
}

fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "services:\n",
        "  web:\n",
        "  db:\n",
        "    image: nginx\n",
        "    ports: [\"80:80:80\"]\n",
        "    ports:\n",
        "      - \"${P:?x}:80\"\n",
        "      - target: 80\n",
        "    volumes: [\"a:b:c:d\"]\n",
        "    extends: web\n",
        "    extends: db\n",
        "    extends: {file: x.yaml, service: a}\n",
        "include: [compose.yaml]\n",
        "include:\n  - path: gone.yaml\n",
        "    <<: *a\n",
        "x-a: &a\n",
        "  privileged: true\n",
        "    - list\n",
        "networks: [a]\n",
        "    environment: {A: $$B}\n",
        "    build: .\n",
        "    depends_on: [db, web]\n",
        "volumes:\n",
        "  !reset x: 1\n",
        "    ports: !reset []\n",
        "    command: !override [a]\n",
        "${\n",
        "- 1\n",
        ":\n",
        "\t\n",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn loading_never_panics(parts in prop::collection::vec(fragment(), 0..24)) {
        let text: String = parts.concat();
        let mut sources = One(text, None);
        let project = load_project(&mut sources, &["compose.yaml".to_owned()], &LoadOptions::default());
        let again = load_project(&mut sources, &["compose.yaml".to_owned()], &LoadOptions::default());
        prop_assert_eq!(&project.errors, &again.errors);
        for service in project.services() {
            let _ = (service.ports(), service.volumes(), service.environment(), service.depends_on());
        }
    }

    #[test]
    fn interpolation_never_panics(text in "[$a-c{}:?+\\-]{0,40}") {
        let env: Environment = [("a".to_owned(), "x".to_owned())].into_iter().collect();
        let _ = interpolate(&text, &env);
    }
}
