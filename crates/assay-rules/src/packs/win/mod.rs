//! The `WIN` pack: Windows nodes in mixed clusters. Which pods can land on
//! which OS, the fields Windows rejects or ignores, HostProcess containers,
//! image builds against node builds, Linux-isms in Windows containers, and
//! what to write instead of Linux hardening. Rules that need to know the
//! cluster (its pools, taints and builds) read the cluster profile and stay
//! silent without one.

mod win001_windows_image_without_os_pin;
mod win002_linux_pod_lands_on_windows;
mod win003_windows_pod_without_toleration;
mod win004_os_name_missing_or_contradicting;
mod win005_field_invalid_on_windows;
mod win006_host_process_misconfigured;
mod win007_windows_build_mismatch;
mod win008_linux_ism_in_windows_container;
mod win009_windows_user_not_set;

use crate::Pack;
use crate::windows::{is_windows_pod, os_name, selector_os, windows_image};
use assay_model::ObjectView;

pub(crate) const PACK: Pack = Pack {
    prefix: "WIN",
    folder: "win",
    title: "Windows nodes in mixed clusters",
    rules: &[
        &win001_windows_image_without_os_pin::WindowsImageWithoutOsPin,
        &win002_linux_pod_lands_on_windows::LinuxPodLandsOnWindows,
        &win003_windows_pod_without_toleration::WindowsPodWithoutToleration,
        &win004_os_name_missing_or_contradicting::OsNameMissingOrContradicting,
        &win005_field_invalid_on_windows::FieldInvalidOnWindows,
        &win006_host_process_misconfigured::HostProcessMisconfigured,
        &win007_windows_build_mismatch::WindowsBuildMismatch,
        &win008_linux_ism_in_windows_container::LinuxIsmInWindowsContainer,
        &win009_windows_user_not_set::WindowsUserNotSet,
    ],
};

/// Whether the workload's pod targets Windows: by `spec.os.name`, by its
/// node selection, or, failing both, by running a Windows image.
pub(crate) fn targets_windows(object: &ObjectView<'_>) -> bool {
    let Some(pod) = object.pod_spec() else {
        return false;
    };
    is_windows_pod(pod)
        || (os_name(pod).is_none()
            && selector_os(pod).is_none()
            && object.containers().iter().any(|c| {
                c.image()
                    .and_then(|i| i.as_str())
                    .and_then(windows_image)
                    .is_some()
            }))
}
