//! The `SEC` pack.

use crate::Pack;

pub(crate) const PACK: Pack = Pack {
    prefix: "SEC",
    folder: "sec",
    title: "Secrets in manifests and configuration",
    rules: &[],
};
