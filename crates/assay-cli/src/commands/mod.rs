pub(crate) mod check;
pub(crate) mod rules;
