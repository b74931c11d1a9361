#![no_main]

use assay_model::{Model, SourceFile};
use assay_rules::{Engine, Selection};
use assay_span::FileId;
use assay_yaml::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let run = || {
        let file = SourceFile::parse(FileId(0), "fuzz.yaml".to_owned(), data, &Limits::default());
        let model = Model::build(vec![file]);
        Engine::new(Selection::default()).run(&model).0
    };
    assert_eq!(run(), run());
});
