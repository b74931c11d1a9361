use crate::{Context, Findings, Rule, RuleMeta, Scope, declare_rule};
use assay_compose::Project;

use super::owner;

declare_rule! {
    /// A compose service is given a host device
    ///
    /// ## What it checks
    /// Every entry of a service's `devices:` (short `/dev/x:/dev/y:rwm` or long
    /// syntax) and every `device_cgroup_rules:` entry. `privileged: true`,
    /// which exposes every device, is HARD001's.
    ///
    /// ## Why it matters
    /// A device node is direct access to host hardware or kernel interfaces:
    /// a disk device (`/dev/sda`) gives the whole filesystem, `/dev/mem` or
    /// `/dev/kmsg` the kernel. Each mapping must be needed and reviewed (CIS
    /// Docker Benchmark 1.6.0, 5.17 "Ensure that host devices are not directly
    /// exposed to containers").
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// services:
    ///   backup:
    ///     image: backup:2.0
    ///     devices: ["/dev/sda:/dev/sda"]
    /// ```
    ///
    /// ## Fix
    /// Mount the data the service needs instead of the device:
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: backup:2.0
    ///     volumes: ["backups:/backups"]
    /// volumes:
    ///   backups: {}
    /// ```
    ///
    /// ## References
    /// - Compose file reference, `devices`: https://docs.docker.com/reference/compose-file/services/#devices
    /// - CIS Docker Benchmark v1.6.0, 5.17: https://www.cisecurity.org/benchmark/docker
    pub(crate) struct HostDevice {
        id: "COMPOSE004",
        name: "compose-host-device",
        severity: Warning,
        scope: Scope::Compose,
        fix: Never,
        since: "0.1.0",
    }
}

impl Rule for HostDevice {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_project(&self, _ctx: &Context<'_>, project: &Project, out: &mut Findings<'_>) {
        for s in project.services() {
            for item in s.list("devices") {
                let device = item
                    .as_str()
                    .map(|d| d.split(':').next().unwrap_or(d))
                    .or_else(|| item.get_str("source"))
                    .unwrap_or("<device>");
                let f = out
                    .at(item.at, format!("{} is given the host device `{device}`", s.describe()))
                    .object(owner(&s))
                    .fix("remove the device unless the service cannot work without it; mount the data it needs as a volume instead");
                out.push(f);
            }
            for item in s.list("device_cgroup_rules") {
                let f = out
                    .at(item.at, format!("{} may create or use host devices through `device_cgroup_rules` entry `{}`", s.describe(), item.as_str().unwrap_or_default()))
                    .object(owner(&s))
                    .fix("remove the rule unless the service needs those devices");
                out.push(f);
            }
        }
    }
}
