//! The `SUP` pack: findings about suppressions themselves. The engine reports
//! them once every other rule has run (see `suppress.rs`).

mod sup001_unused_suppression;
mod sup002_suppression_without_reason;

pub(crate) use sup001_unused_suppression::UnusedSuppression;
pub(crate) use sup002_suppression_without_reason::SuppressionWithoutReason;

use crate::Pack;

pub(crate) const PACK: Pack = Pack {
    prefix: "SUP",
    folder: "sup",
    title: "Suppressions",
    rules: &[&UnusedSuppression, &SuppressionWithoutReason],
};
