//! Rule packs: one folder each, one file per rule.

pub(crate) mod api;
pub(crate) mod cloud;
pub(crate) mod compose;
pub(crate) mod etcd;
pub(crate) mod graph;
pub(crate) mod hard;
pub(crate) mod ingress;
pub(crate) mod net;
pub(crate) mod openapi;
pub(crate) mod rbac;
pub(crate) mod rollout;
pub(crate) mod sa;
pub(crate) mod scale;
pub(crate) mod schema;
pub(crate) mod sec;
pub(crate) mod sup;
pub(crate) mod val;
pub(crate) mod win;
pub(crate) mod yaml;
