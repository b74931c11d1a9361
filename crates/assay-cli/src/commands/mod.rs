pub(crate) mod check;
pub(crate) mod connectivity;
pub(crate) mod diagnose;
pub(crate) mod profiles;
pub(crate) mod rules;
pub(crate) mod sandbox;
pub(crate) mod schedule;
pub(crate) mod versions;

/// A flag's value as UTF-8, or an error naming the flag.
pub(crate) fn value_string(value: std::ffi::OsString, flag: &str) -> anyhow::Result<String> {
    value.into_string().map_err(|v| {
        anyhow::anyhow!(
            "the value of {flag} is not valid UTF-8: {}",
            v.to_string_lossy()
        )
    })
}
