#![no_main]

//! Cluster profiles (`ClusterProfile` files and `kubectl get nodes -o yaml`
//! exports) from arbitrary bytes: parsing never panics, and an error is
//! always located inside the input.

use assay_profile::parse_profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Line breaks as YAML counts them: `\n`, `\r\n` and a lone `\r`.
    let breaks = data
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    let lines = breaks + 2;
    if let Err(errors) = parse_profile("fuzz.yaml", data) {
        assert!(!errors.is_empty());
        for error in errors {
            assert!((error.pos.line as usize) <= lines, "{error:?}");
        }
    }
});
