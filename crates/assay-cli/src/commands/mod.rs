pub(crate) mod check;
pub(crate) mod profiles;
pub(crate) mod rules;
pub(crate) mod schedule;
pub(crate) mod versions;
