//! The embedded Kubernetes schemas, decoded lazily.
//!
//! `data/k8s-schemas.bin` (made by `tools/gen-k8s-schemas.py`) holds a small
//! header, one compressed table per version (kinds and where each definition
//! lives) and one compressed chunk per Go package (each distinct definition of
//! that package across every version, stored once). A version's table is
//! decoded the first time that version is asked for; a chunk the first time a
//! definition in it is needed. Nothing else is ever decompressed.

use crate::schema::Schema;
use std::collections::HashMap;
use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("../data/k8s-schemas.bin");
const MAGIC: &[u8] = b"ASSAYK8S";
const FORMAT: u32 = 1;

/// A group, version and kind (`apps`, `v1`, `Deployment`; the core group is `""`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    /// Split `apps/v1` + `Deployment`.
    #[must_use]
    pub fn from_api_version(api_version: &str, kind: &str) -> Gvk {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        Gvk {
            group: group.to_owned(),
            version: version.to_owned(),
            kind: kind.to_owned(),
        }
    }

    /// `apps/v1` (`v1` for the core group).
    #[must_use]
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

struct Bundle {
    versions: Vec<VersionSchemas>,
    chunks: Vec<Chunk>,
    blobs: &'static [u8],
}

struct Chunk {
    range: (usize, usize),
    schemas: OnceLock<Vec<Schema>>,
}

/// The schemas of one bundled Kubernetes version.
pub struct VersionSchemas {
    name: String,
    minor: u32,
    range: (usize, usize),
    table: OnceLock<Table>,
}

impl std::fmt::Debug for VersionSchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VersionSchemas")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Table {
    kinds: HashMap<Gvk, String>,
    defs: HashMap<String, (usize, usize)>,
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(bytes))
}

fn pair_of(v: &serde_json::Value) -> Option<(usize, usize)> {
    let pair = v.as_array()?;
    let a = usize::try_from(pair.first()?.as_u64()?).ok()?;
    let b = usize::try_from(pair.get(1)?.as_u64()?).ok()?;
    Some((a, b))
}

/// An `[offset, length]` pair as a `start..end` range.
fn range_of(v: &serde_json::Value) -> Option<(usize, usize)> {
    let (start, len) = pair_of(v)?;
    Some((start, start.checked_add(len)?))
}

fn inflate_json(bytes: &[u8]) -> Option<serde_json::Value> {
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(bytes).ok()?;
    serde_json::from_slice(&raw).ok()
}

impl Bundle {
    fn parse(data: &'static [u8]) -> Option<Bundle> {
        if data.get(..MAGIC.len())? != MAGIC || u32_at(data, 8)? != FORMAT {
            return None;
        }
        let header_len = usize::try_from(u32_at(data, 12)?).ok()?;
        let header: serde_json::Value =
            serde_json::from_slice(data.get(16..16 + header_len)?).ok()?;
        let blobs = data.get(16 + header_len..)?;
        let names = header.get("versions")?.as_array()?;
        let tables = header.get("tables")?.as_array()?;
        let mut versions = Vec::new();
        for (name, table) in names.iter().zip(tables) {
            let name = name.as_str()?.to_owned();
            let minor = name.split('.').nth(1)?.parse().ok()?;
            versions.push(VersionSchemas {
                name,
                minor,
                range: range_of(table)?,
                table: OnceLock::new(),
            });
        }
        let chunks = header
            .get("chunks")?
            .as_array()?
            .iter()
            .map(|c| {
                Some(Chunk {
                    range: range_of(c)?,
                    schemas: OnceLock::new(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Bundle {
            versions,
            chunks,
            blobs,
        })
    }

    fn get() -> &'static Bundle {
        static BUNDLE: OnceLock<Bundle> = OnceLock::new();
        BUNDLE.get_or_init(|| {
            Bundle::parse(DATA).unwrap_or(Bundle {
                versions: Vec::new(),
                chunks: Vec::new(),
                blobs: &[],
            })
        })
    }

    fn chunk(&self, index: usize) -> Option<&Vec<Schema>> {
        let chunk = self.chunks.get(index)?;
        Some(chunk.schemas.get_or_init(|| {
            let (start, end) = chunk.range;
            self.blobs
                .get(start..end)
                .and_then(inflate_json)
                .and_then(|v| v.as_array().cloned())
                .unwrap_or_default()
                .iter()
                .map(|s| Schema::from_compact(s, 0))
                .collect()
        }))
    }
}

/// Every bundled version, oldest first.
#[must_use]
pub fn versions() -> &'static [VersionSchemas] {
    &Bundle::get().versions
}

/// The schemas of Kubernetes `1.minor`, when bundled.
#[must_use]
pub fn version(major: u32, minor: u32) -> Option<&'static VersionSchemas> {
    if major != 1 {
        return None;
    }
    versions().iter().find(|v| v.minor == minor)
}

impl VersionSchemas {
    /// `1.29`.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    #[must_use]
    pub fn minor(&self) -> u32 {
        self.minor
    }

    fn table(&self) -> &Table {
        self.table.get_or_init(|| {
            let bundle = Bundle::get();
            let (start, end) = self.range;
            let Some(value) = bundle.blobs.get(start..end).and_then(inflate_json) else {
                return Table::default();
            };
            let mut table = Table::default();
            for k in value
                .get("kinds")
                .and_then(|k| k.as_array())
                .into_iter()
                .flatten()
            {
                let field = |i: usize| k.get(i).and_then(|s| s.as_str()).unwrap_or_default();
                table.kinds.insert(
                    Gvk {
                        group: field(0).to_owned(),
                        version: field(1).to_owned(),
                        kind: field(2).to_owned(),
                    },
                    field(3).to_owned(),
                );
            }
            for (name, place) in value
                .get("defs")
                .and_then(|d| d.as_object())
                .into_iter()
                .flatten()
            {
                if let Some(place) = pair_of(place) {
                    table.defs.insert(name.clone(), place);
                }
            }
            table
        })
    }

    /// Whether the version serves this kind.
    #[must_use]
    pub fn has_kind(&self, gvk: &Gvk) -> bool {
        self.table().kinds.contains_key(gvk)
    }

    /// Every group, version and kind of this version, sorted.
    #[must_use]
    pub fn kinds(&self) -> Vec<&Gvk> {
        let mut kinds: Vec<&Gvk> = self.table().kinds.keys().collect();
        kinds.sort();
        kinds
    }

    /// The schema of a kind's objects.
    #[must_use]
    pub fn root(&self, gvk: &Gvk) -> Option<&'static Schema> {
        let name = self.table().kinds.get(gvk)?;
        self.definition(name)
    }

    /// A definition by its OpenAPI name (`io.k8s.api.core.v1.PodSpec`).
    #[must_use]
    pub fn definition(&self, name: &str) -> Option<&'static Schema> {
        let &(chunk, item) = self.table().defs.get(name)?;
        Bundle::get().chunk(chunk)?.get(item)
    }
}
