//! The `HARD` pack.

use crate::Pack;

pub(crate) const PACK: Pack = Pack {
    prefix: "HARD",
    folder: "hard",
    title: "Container hardening (Pod Security Standards)",
    rules: &[],
};
