//! The profiles built into assay; each file cites its provider's documentation.

use crate::{ClusterProfile, ProfileError, parse_profile};

/// Name and YAML of every bundled profile, in the order `assay profiles` lists them.
pub const BUNDLED: &[(&str, &str)] = &[
    ("linux-only", include_str!("../profiles/linux-only.yaml")),
    ("aks-mixed", include_str!("../profiles/aks-mixed.yaml")),
    ("eks-mixed", include_str!("../profiles/eks-mixed.yaml")),
    ("gke-mixed", include_str!("../profiles/gke-mixed.yaml")),
    ("kind", include_str!("../profiles/kind.yaml")),
];

/// The names of the bundled profiles.
#[must_use]
pub fn bundled_names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(n, _)| *n).collect()
}

/// A bundled profile by name; `None` when there is none of that name.
#[must_use]
pub fn bundled(name: &str) -> Option<Result<ClusterProfile, ProfileError>> {
    let (_, text) = BUNDLED.iter().find(|(n, _)| *n == name)?;
    Some(
        parse_profile(&format!("<bundled {name}>"), text.as_bytes())
            .map_err(|mut e| e.swap_remove(0)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Os, TaintEffect};

    #[test]
    fn every_bundled_profile_reads_and_cites_sources() {
        for (name, text) in BUNDLED {
            let profile = bundled(name).unwrap().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(profile.name, *name);
            assert!(profile.knows_installed);
            assert!(text.contains("https://"), "{name} cites no source");
        }
    }

    #[test]
    fn provider_taints_are_as_documented() {
        let gke = bundled("gke-mixed").unwrap().unwrap();
        let win = gke.pools_of(Os::Windows).next().unwrap();
        assert_eq!(
            win.taints[0].to_string(),
            "node.kubernetes.io/os=windows:NoSchedule"
        );
        assert_eq!(win.taints[0].effect, TaintEffect::NoSchedule);
        for name in ["aks-mixed", "eks-mixed"] {
            let p = bundled(name).unwrap().unwrap();
            assert!(
                p.pools_of(Os::Windows).all(|w| w.taints.is_empty()),
                "{name}"
            );
        }
        assert!(bundled("nope").is_none());
    }
}
