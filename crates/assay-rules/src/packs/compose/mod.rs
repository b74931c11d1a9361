//! The `COMPOSE` pack: what only Docker Compose files have.
//!
//! Who reports what, so one problem is reported once:
//! - `HARD` checks compose services wherever a Kubernetes control has a compose
//!   equivalent: `privileged` (HARD001), `no-new-privileges` (HARD002), `user`
//!   (HARD003), `cap_drop` (HARD004), `cap_add` (HARD005), `read_only`
//!   (HARD006), host namespaces (HARD007), runtime sockets (HARD009), memory
//!   limit (HARD011), image tag (HARD012), seccomp and AppArmor `unconfined`
//!   (HARD014, HARD018).
//! - `SEC003` checks compose `environment` and `build.args` values.
//! - `COMPOSE` checks the rest: files that are not valid compose (COMPOSE001),
//!   CPU and process limits, host devices, published datastores, networks,
//!   health-gated dependencies and build contexts.

mod compose001_invalid_compose_file;
mod compose002_missing_cpu_limit;
mod compose003_missing_pids_limit;
mod compose004_host_device;
mod compose005_datastore_published_on_all_interfaces;
mod compose006_datastore_network_not_internal;
mod compose007_healthy_dependency_without_healthcheck;
mod compose008_dependency_without_condition;
mod compose009_build_context_outside_project;

use crate::Pack;
use assay_compose::Service;
use assay_span::FileSpan;

pub(crate) const PACK: Pack = Pack {
    prefix: "COMPOSE",
    folder: "compose",
    title: "Docker Compose hardening",
    rules: &[
        &compose001_invalid_compose_file::InvalidComposeFile,
        &compose002_missing_cpu_limit::MissingCpuLimit,
        &compose003_missing_pids_limit::MissingPidsLimit,
        &compose004_host_device::HostDevice,
        &compose005_datastore_published_on_all_interfaces::DatastorePublishedOnAllInterfaces,
        &compose006_datastore_network_not_internal::DatastoreNetworkNotInternal,
        &compose007_healthy_dependency_without_healthcheck::HealthyDependencyWithoutHealthcheck,
        &compose008_dependency_without_condition::DependencyWithoutCondition,
        &compose009_build_context_outside_project::BuildContextOutsideProject,
    ],
};

/// `service "db"`: how findings name a compose service.
pub(crate) fn owner(service: &Service<'_>) -> String {
    format!("service \"{}\"", service.name())
}

/// Datastores by image repository (the last path segment, tag removed), with
/// the ports they listen on (their official images' documentation).
const DATASTORES: &[(&str, &str, &[u32])] = &[
    ("postgres", "PostgreSQL", &[5432]),
    ("postgis", "PostgreSQL", &[5432]),
    ("mysql", "MySQL", &[3306, 33060]),
    ("mariadb", "MariaDB", &[3306]),
    ("redis", "Redis", &[6379]),
    ("valkey", "Valkey", &[6379]),
    ("mongo", "MongoDB", &[27017]),
    ("memcached", "Memcached", &[11211]),
    ("elasticsearch", "Elasticsearch", &[9200, 9300]),
    ("opensearch", "OpenSearch", &[9200, 9600]),
    ("cassandra", "Cassandra", &[9042]),
    ("mssql-server", "SQL Server", &[1433]),
    ("couchdb", "CouchDB", &[5984]),
    ("influxdb", "InfluxDB", &[8086]),
    ("etcd", "etcd", &[2379]),
    ("rabbitmq", "RabbitMQ", &[5672]),
    ("clickhouse-server", "ClickHouse", &[8123, 9000]),
];

/// The datastore a service runs, by its image: its display name and ports.
pub(crate) fn datastore(service: &Service<'_>) -> Option<(&'static str, &'static [u32])> {
    let image = service.image()?.as_str()?;
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    let repository = last.split(':').next().unwrap_or(last);
    DATASTORES
        .iter()
        .find(|(name, _, _)| *name == repository)
        .map(|(_, display, ports)| (*display, *ports))
}

/// Where to point for a missing setting: the key if written, else the name.
pub(crate) fn location(service: &Service<'_>, key: &str) -> FileSpan {
    service
        .setting(key)
        .map_or_else(|| service.name_at(), |e| e.key_at)
}
