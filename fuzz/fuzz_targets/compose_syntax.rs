#![no_main]

//! The compose short syntaxes and interpolation on arbitrary text: ports,
//! volumes and `${…}` templates never panic, and interpolation with no
//! variables set is deterministic.

use assay_compose::{Environment, interpolate, parse_port, parse_volume};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = parse_port(text);
    let _ = parse_volume(text);
    let env = Environment::default();
    let first = interpolate(text, &env).map(|i| i.text);
    let second = interpolate(text, &env).map(|i| i.text);
    assert_eq!(first.is_ok(), second.is_ok());
    if let (Ok(a), Ok(b)) = (first, second) {
        assert_eq!(a, b);
    }
});
