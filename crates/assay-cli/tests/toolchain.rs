//! The minimum Rust version is declared once, inherited by every crate (so
//! cargo enforces it) and is the one the README states.

use std::path::Path;

fn workspace_file(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn rust_version_is_declared_inherited_and_documented() {
    let root = workspace_file("Cargo.toml");
    let version = root
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("rust-version in [workspace.package]");
    assert_eq!(
        version, "1.88",
        "the minimum: `if let` chains and the `ignore` crate"
    );
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut manifests = 0;
    for entry in std::fs::read_dir(&crates).unwrap().flatten() {
        let manifest = entry.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        manifests += 1;
        assert!(
            text.lines()
                .any(|l| l.trim() == "rust-version.workspace = true"),
            "{} does not inherit rust-version",
            manifest.display()
        );
    }
    assert!(manifests >= 9, "{manifests} crates");
    let readme = workspace_file("README.md");
    assert!(
        readme.contains(&format!("Rust {version} or newer")),
        "the README must state Rust {version}"
    );
}
