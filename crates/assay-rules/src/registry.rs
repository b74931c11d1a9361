use crate::Rule;
use crate::packs;

/// A rule pack: a folder of rules sharing an id prefix.
#[derive(Debug)]
pub struct Pack {
    /// Id prefix (`SEC`).
    pub prefix: &'static str,
    /// Folder name under `src/packs/` and fixture folder name (`sec`).
    pub folder: &'static str,
    pub title: &'static str,
    /// Rules in id order.
    pub rules: &'static [&'static dyn Rule],
}

impl std::fmt::Debug for dyn Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.meta().id)
    }
}

/// Every pack, in the order `assay rules` lists them.
pub static PACKS: &[Pack] = &[
    packs::yaml::PACK,
    packs::schema::PACK,
    packs::api::PACK,
    packs::val::PACK,
    packs::sec::PACK,
    packs::hard::PACK,
    packs::rbac::PACK,
    packs::sa::PACK,
    packs::win::PACK,
    packs::cloud::PACK,
    packs::compose::PACK,
    packs::graph::PACK,
    packs::net::PACK,
    packs::scale::PACK,
    packs::rollout::PACK,
    packs::etcd::PACK,
    packs::ingress::PACK,
    packs::openapi::PACK,
    packs::sup::PACK,
];

/// Every rule of every pack.
pub fn all_rules() -> impl Iterator<Item = &'static dyn Rule> {
    PACKS.iter().flat_map(|p| p.rules.iter().copied())
}

/// A rule by id (`SEC001`, any case) or name (`plaintext-secret-in-env`).
#[must_use]
pub fn find_rule(id_or_name: &str) -> Option<&'static dyn Rule> {
    all_rules().find(|r| {
        let meta = r.meta();
        meta.id.eq_ignore_ascii_case(id_or_name) || meta.name == id_or_name
    })
}
