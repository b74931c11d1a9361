pub(crate) mod check;
pub(crate) mod rules;
pub(crate) mod sandbox;
pub(crate) mod versions;
