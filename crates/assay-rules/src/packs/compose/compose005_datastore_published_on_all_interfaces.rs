use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Project;

use super::{DATASTORES, datastore, owner};

declare_rule! {
    /// A database or cache port is published on every host interface
    ///
    /// ## What it checks
    /// `ports:` entries (short or long syntax) that publish a port without a
    /// host IP, or with `0.0.0.0` / `::`, when the service runs a known
    /// datastore image (PostgreSQL, MySQL, MariaDB, Redis, Valkey, MongoDB,
    /// Memcached, Elasticsearch, OpenSearch, Cassandra, SQL Server, CouchDB,
    /// InfluxDB, etcd, RabbitMQ, ClickHouse) or the target is one of their
    /// ports.
    ///
    /// ## Why it matters
    /// `5432:5432` listens on every interface of the host, and Docker's
    /// published ports bypass host firewalls such as ufw: the database is on
    /// the network for anyone who can reach the machine. Other services of the
    /// project reach it by service name without any published port (CIS Docker
    /// Benchmark 1.6.0, 5.14 "Ensure that incoming container traffic is bound
    /// to a specific host interface").
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     ports: ["5432:5432"]
    /// ```
    ///
    /// ## Fix
    /// Bind to loopback for local tools, or publish nothing:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     ports: ["127.0.0.1:5432:5432"]
    /// ```
    ///
    /// ## References
    /// - Compose file reference, `ports`: https://docs.docker.com/reference/compose-file/services/#ports
    /// - Docker, Packet filtering and firewalls (published ports and ufw): https://docs.docker.com/engine/network/packet-filtering-firewalls/
    /// - CIS Docker Benchmark v1.6.0, 5.14: https://www.cisecurity.org/benchmark/docker
    pub(crate) struct DatastorePublishedOnAllInterfaces {
        id: "COMPOSE005",
        name: "datastore-published-on-all-interfaces",
        severity: Warning,
        scope: Scope::Compose,
        fix: Always,
        since: "0.1.0",
    }
}

impl Rule for DatastorePublishedOnAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for s in project.services() {
            let store = datastore(&s);
            for port in s.ports() {
                let Some(published) = port.spec.published.as_deref() else {
                    continue;
                };
                if port
                    .spec
                    .host_ip
                    .as_deref()
                    .is_some_and(|ip| !matches!(ip, "0.0.0.0" | "::"))
                {
                    continue;
                }
                let target = port.spec.target;
                let name = store.map(|(name, _)| name).or_else(|| {
                    DATASTORES
                        .iter()
                        .find(|(_, _, ports)| ports.contains(&target))
                        .map(|(_, name, _)| *name)
                });
                let Some(name) = name else {
                    continue;
                };
                let f = out
                    .at(
                        port.at,
                        format!(
                            "{} publishes {name} port {target} on every host interface (host port {published}), past host firewalls",
                            s.describe()
                        ),
                    )
                    .object(owner(&s))
                    .fix(format!(
                        "bind it to loopback, `127.0.0.1:{published}:{target}`, or remove the port: other services reach `{}` by name",
                        s.name()
                    ));
                out.push(f);
            }
        }
    }
}
