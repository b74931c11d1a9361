#![no_main]

use assay_yaml::{Limits, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = load(data, &Limits::default());
    let lines = loaded.text.lines().count() as u32 + 1;
    for doc in loaded.tree.documents() {
        let span = loaded.tree.value(doc.root).span();
        assert!(span.start <= span.end);
        assert!(span.end.line <= lines + 1);
    }
});
