//! Docker Compose projects for assay.
//!
//! [`load_project`] reads a project the way Docker Compose v2 does — `.env`
//! and interpolation, `include`, `extends`, several files merged in order,
//! `!reset`/`!override` — into one resolved [`Node`] tree in which every value
//! keeps the [`assay_span::FileSpan`] where it was written: a finding about a
//! merged service still points at the override file, the `extends` base or the
//! anchor that set the value. [`Service`] gives the rules typed access to both
//! short and long syntaxes; [`config_json`] prints the project the way
//! `docker compose config --format json` does.

mod dotenv;
mod interpolate;
mod load;
mod merge;
mod project;
mod syntax;
mod value;

pub use dotenv::{DotenvError, parse_into as parse_dotenv};
pub use interpolate::{Environment, Interpolated, InterpolationError, MAX_NESTING, interpolate};
pub use load::{
    LoadOptions, MAX_CHAIN, Sources, TOP_LEVEL_KEYS, dir_of, join, load_project,
    normalize_project_name, override_name,
};
pub use project::{Dependency, EnvVar, Limit, Port, Project, SERVICE_KEYS, Service, Volume};
pub use syntax::{PortSpec, VolumeSpec, VolumeType, parse_port, parse_volume};
pub use value::{Entry, Kind, MergeTag, Node};

use assay_span::FileSpan;

/// What went wrong while loading a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorKind {
    /// Not a valid compose file (wrong shape, unknown key, bad port or volume).
    Invalid,
    /// A `${VAR:?}` without a value, or a malformed `${…}`.
    Interpolation,
    /// An `include`d, `extends`ed or `--env-file` file that cannot be read.
    MissingFile,
    /// An `extends` or `include` cycle.
    Cycle,
    /// A `.env` line that cannot be read.
    EnvFile,
}

/// A located problem of a compose project; the message never quotes a value
/// read from a `.env` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeError {
    pub at: FileSpan,
    pub kind: ErrorKind,
    pub message: String,
}
