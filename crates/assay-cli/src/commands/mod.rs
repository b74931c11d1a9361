pub(crate) mod check;
pub(crate) mod compose_config;
pub(crate) mod rules;
pub(crate) mod template;
pub(crate) mod versions;
