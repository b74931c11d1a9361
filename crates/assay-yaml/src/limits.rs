/// Input limits. Each one, when exceeded, gives a located error that names it.
///
/// Defaults are far above any real manifest (the largest file in the reference
/// corpus is 2 MB, its deepest document about 40 levels) and far below what
/// would exhaust a CI machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes (`max-file-size`). Default 64 MiB.
    pub max_file_bytes: u64,
    /// Most documents in one YAML stream (`max-documents`). Default 10 000.
    pub max_documents: usize,
    /// Most nodes (scalars, mappings, sequences, aliases) in one file (`max-nodes`).
    /// Default 4 000 000.
    pub max_nodes: usize,
    /// Deepest nesting of mappings and sequences, block and flow (`max-depth`). Default 256.
    pub max_depth: usize,
    /// Longest single scalar, in bytes (`max-scalar-size`). Default 16 MiB.
    pub max_scalar_bytes: usize,
    /// Most nodes a walk that follows aliases may visit from one root
    /// (`max-alias-expansion`). Default 100 000: a billion-laughs document stops here.
    pub max_alias_expansion: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 * 1024 * 1024,
            max_documents: 10_000,
            max_nodes: 4_000_000,
            max_depth: 256,
            max_scalar_bytes: 16 * 1024 * 1024,
            max_alias_expansion: 100_000,
        }
    }
}
