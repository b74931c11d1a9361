pub(crate) mod check;
pub(crate) mod compose_config;
pub(crate) mod rules;
pub(crate) mod versions;
