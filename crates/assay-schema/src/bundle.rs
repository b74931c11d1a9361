//! The embedded Kubernetes schemas, decoded lazily.
//!
//! `data/k8s-schemas.bin` (made by `tools/gen-k8s-schemas.py`) holds a small
//! header, one compressed table per version (kinds, and the id of each
//! definition), a 32 KB preset dictionary, an index of the definition streams
//! and one raw deflate stream per distinct definition (stored once across
//! versions, compressed against the dictionary). A version's table is decoded
//! the first time that version is asked for; the dictionary and the index the
//! first time any definition is needed; a definition the first time the
//! validator reaches it (a kind's root, then each `$ref` as the values being
//! validated lead to it). Nothing else is ever decompressed.

use crate::schema::Schema;
use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

static DATA: &[u8] = include_bytes!("../data/k8s-schemas.bin");
const MAGIC: &[u8] = b"ASSAYK8S";
const FORMAT: u32 = 2;

/// Definitions decompressed so far in this process.
static DECODED: AtomicUsize = AtomicUsize::new(0);

/// How many embedded definitions this process has decompressed so far
/// (diagnostics: each is decoded at most once, on first use).
#[must_use]
pub fn decoded_definitions() -> usize {
    DECODED.load(Ordering::Relaxed)
}

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
    blobs: &'static [u8],
    dictionary: (usize, usize),
    index: (usize, usize),
    definitions: (usize, usize),
    store: OnceLock<Store>,
}

/// The dictionary, where each definition stream is, and the decoded ones.
#[derive(Default)]
struct Store {
    dictionary: Vec<u8>,
    /// (start, end, inflated length) of each stream in the definitions area.
    streams: Vec<(usize, usize, usize)>,
    schemas: Vec<OnceLock<Option<Box<Schema>>>>,
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
    defs: HashMap<String, usize>,
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

/// Inflate a raw deflate stream compressed against a preset dictionary: the
/// dictionary is placed before the output, where back-references reach it.
fn inflate_with_dictionary(dictionary: &[u8], stream: &[u8], len: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; dictionary.len().checked_add(len)?];
    out.get_mut(..dictionary.len())?.copy_from_slice(dictionary);
    let mut state = DecompressorOxide::new();
    let (status, _, written) = decompress(
        &mut state,
        stream,
        &mut out,
        dictionary.len(),
        inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
    );
    if status != TINFLStatus::Done || written != len {
        return None;
    }
    out.drain(..dictionary.len());
    Some(out)
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
        Some(Bundle {
            versions,
            blobs,
            dictionary: range_of(header.get("dictionary")?)?,
            index: range_of(header.get("index")?)?,
            definitions: range_of(header.get("definitions")?)?,
            store: OnceLock::new(),
        })
    }

    fn get() -> &'static Bundle {
        static BUNDLE: OnceLock<Bundle> = OnceLock::new();
        BUNDLE.get_or_init(|| {
            Bundle::parse(DATA).unwrap_or(Bundle {
                versions: Vec::new(),
                blobs: &[],
                dictionary: (0, 0),
                index: (0, 0),
                definitions: (0, 0),
                store: OnceLock::new(),
            })
        })
    }

    fn store(&self) -> &Store {
        self.store.get_or_init(|| {
            let blob = |(start, end): (usize, usize)| self.blobs.get(start..end);
            let dictionary = blob(self.dictionary)
                .and_then(|b| miniz_oxide::inflate::decompress_to_vec_zlib(b).ok());
            let index = blob(self.index).and_then(inflate_json);
            let (Some(dictionary), Some(index)) = (dictionary, index) else {
                return Store::default();
            };
            let mut streams = Vec::new();
            let mut at = self.definitions.0;
            for entry in index.as_array().into_iter().flatten() {
                let Some((compressed, len)) = pair_of(entry) else {
                    return Store::default();
                };
                streams.push((at, at + compressed, len));
                at += compressed;
            }
            if at > self.definitions.1 {
                return Store::default();
            }
            let schemas = streams.iter().map(|_| OnceLock::new()).collect();
            Store {
                dictionary,
                streams,
                schemas,
            }
        })
    }

    /// Definition `id`, inflated and decoded on first use.
    fn definition(&self, id: usize) -> Option<&Schema> {
        let store = self.store();
        let &(start, end, len) = store.streams.get(id)?;
        store
            .schemas
            .get(id)?
            .get_or_init(|| {
                let raw =
                    inflate_with_dictionary(&store.dictionary, self.blobs.get(start..end)?, len)?;
                let value: serde_json::Value = serde_json::from_slice(&raw).ok()?;
                DECODED.fetch_add(1, Ordering::Relaxed);
                Some(Box::new(Schema::from_compact(&value, 0)))
            })
            .as_deref()
    }

    fn is_decoded(&self, id: usize) -> bool {
        self.store
            .get()
            .and_then(|s| s.schemas.get(id))
            .is_some_and(|s| s.get().is_some())
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
                if let Some(id) = place.as_u64().and_then(|i| usize::try_from(i).ok()) {
                    table.defs.insert(name.clone(), id);
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
        let &id = self.table().defs.get(name)?;
        Bundle::get().definition(id)
    }

    /// Whether a definition (`io.k8s.api.core.v1.PodSpec`) has been
    /// decompressed in this process (diagnostics).
    #[must_use]
    pub fn is_decoded(&self, name: &str) -> bool {
        self.table()
            .defs
            .get(name)
            .is_some_and(|&id| Bundle::get().is_decoded(id))
    }
}
